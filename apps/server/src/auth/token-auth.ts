// Checking an API token secret: shared by the authentication middleware (Bearer requests) and
// POST /tokens/verify, so other services get exactly the answer a request to Keyward would get.
import type { VerifyReason } from "@keyward/contracts/tokens";
import type { DB } from "@keyward/db/kysely";
import type { AppDeps } from "../context.ts";
import { parseTokenSecret, secretMatches } from "../lib/token-secret.ts";
import type { Principal } from "./principal.ts";
import { toPermissions } from "./sessions.ts";
import type { TokenRecord } from "./token-cache.ts";

export type TokenCheck =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: Extract<VerifyReason, "malformed" | "unknown">; record?: undefined }
  | {
      ok: false;
      reason: Extract<VerifyReason, "disabled" | "expired" | "owner_disabled">;
      record: TokenRecord;
    };

// Compared against when the token id is unknown, so an unknown id costs the same HMAC and
// comparison as a wrong secret and the timing says nothing about which ids exist.
const DUMMY_HASH = Buffer.alloc(32, 0x5a);

/** Reads what verification needs about one token, its owner and the owner's role. */
export async function loadTokenRecord(db: DB, tokenId: string): Promise<TokenRecord | undefined> {
  const row = await db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select([
      "t.id",
      "t.user_id",
      "t.secret_hash",
      "t.status",
      "t.expires_at",
      "t.scopes",
      "t.allow",
      "u.username",
      "u.display_name",
      "u.email",
      "u.status as user_status",
      "r.id as role_id",
      "r.name as role_name",
      "r.permissions",
    ])
    .where("t.id", "=", tokenId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    hash: row.secret_hash,
    status: row.status,
    expiresAt: row.expires_at,
    scopes: row.scopes,
    allow: row.allow,
    owner: {
      username: row.username,
      displayName: row.display_name,
      email: row.email,
      status: row.user_status,
      role: { id: row.role_id, name: row.role_name, permissions: toPermissions(row.permissions) },
    },
  };
}

/**
 * Is this secret a working token right now? Malformed text is refused before any cache or
 * database work; a warm token needs no database round trip (docs/decisions/0007).
 */
export async function checkTokenSecret(
  deps: Pick<AppDeps, "db" | "serverSecret" | "tokenCache">,
  text: string,
  now: number = Date.now(),
): Promise<TokenCheck> {
  const parsed = parseTokenSecret(text);
  if (!parsed) return { ok: false, reason: "malformed" };
  let record = deps.tokenCache.get(parsed.tokenId);
  if (!record) {
    const generation = deps.tokenCache.snapshot();
    record = await loadTokenRecord(deps.db.db, parsed.tokenId);
    if (!record) {
      secretMatches(deps.serverSecret, parsed.secret, DUMMY_HASH);
      return { ok: false, reason: "unknown" };
    }
    deps.tokenCache.set(record, generation);
  }
  // A regenerated token keeps its id: the old secret reaches the record but not its hash.
  if (!secretMatches(deps.serverSecret, parsed.secret, record.hash))
    return { ok: false, reason: "unknown" };
  if (record.owner.status !== "active") return { ok: false, reason: "owner_disabled", record };
  if (record.status !== "enabled") return { ok: false, reason: "disabled", record };
  if (record.expiresAt && record.expiresAt.getTime() <= now)
    return { ok: false, reason: "expired", record };
  return { ok: true, record };
}

export function principalFromToken(record: TokenRecord): Principal {
  return {
    user: {
      id: record.userId,
      username: record.owner.username,
      displayName: record.owner.displayName,
      email: record.owner.email,
    },
    role: record.owner.role,
    authMethod: "token",
    token: { id: record.id, scopes: record.scopes, allow: record.allow },
  };
}

export const verifyReasonMessages: Record<VerifyReason, string> = {
  malformed: "The API token is malformed.",
  unknown: "The API token is not valid.",
  disabled: "The API token is disabled.",
  expired: "The API token has expired.",
  owner_disabled: "The API token's owner is disabled.",
  insufficient_scope: "The API token lacks the scope.",
  resource_not_allowed: "The API token's allow list does not include the resource.",
};
