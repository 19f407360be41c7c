import type { Token } from "@keyward/contracts/tokens";
import type { ApiToken, ApiTokenUsage } from "@keyward/db/types";

/**
 * Every column a token DTO is built from. The secret hash is deliberately not among them, so it
 * is never even read by the queries that answer the API.
 */
export const tokenColumns = [
  "id",
  "name",
  "description",
  "user_id",
  "user_name",
  "created_by",
  "created_by_name",
  "created_at",
  "updated_at",
  "expires_at",
  "status",
  "scopes",
  "allow",
  "secret_regenerated_at",
] as const;

/** When and from where: in the narrow api_token_usage table (decision 0013), joined by token id. */
export const usageColumns = ["last_used_at", "last_used_ip", "last_used_user_agent"] as const;

type UsageRow = Pick<ApiTokenUsage, (typeof usageColumns)[number]>;
export type TokenRow = Pick<ApiToken, (typeof tokenColumns)[number]> & UsageRow;

/** The usage of a token just created. */
export const NEVER_USED: UsageRow = {
  last_used_at: null,
  last_used_ip: null,
  last_used_user_agent: null,
};

/** The usage columns of a token row, to carry over to the same token's row after a write. */
export function usageOf(row: TokenRow): UsageRow {
  return {
    last_used_at: row.last_used_at,
    last_used_ip: row.last_used_ip,
    last_used_user_agent: row.last_used_user_agent,
  };
}

export function toTokenDto(row: TokenRow, now: number = Date.now()): Token {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    userId: row.user_id,
    userName: row.user_name,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    status: row.status,
    expired: row.expires_at !== null && row.expires_at.getTime() <= now,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    lastUsedIp: row.last_used_ip,
    lastUsedUserAgent: row.last_used_user_agent,
    scopes: row.scopes,
    allow: row.allow,
    secretRegeneratedAt: row.secret_regenerated_at?.toISOString() ?? null,
  };
}
