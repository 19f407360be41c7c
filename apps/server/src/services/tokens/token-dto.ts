import type { Token } from "@keyward/contracts/tokens";
import type { ApiToken } from "@keyward/db/types";

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
  "last_used_at",
  "last_used_ip",
  "last_used_user_agent",
  "scopes",
  "allow",
  "secret_regenerated_at",
] as const;

export type TokenRow = Pick<ApiToken, (typeof tokenColumns)[number]>;

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
