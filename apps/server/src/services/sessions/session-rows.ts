import type { SessionInfo } from "@keyward/contracts/sessions";
import type { DB, Transaction } from "@keyward/db/kysely";
import type { Database } from "@keyward/db/types";

/** A user's unexpired sessions, most recently used first. Never selects the secret hash. */
export async function activeSessionsOf(
  db: DB,
  userId: string,
  currentSessionId: string | undefined,
): Promise<SessionInfo[]> {
  const rows = await db
    .selectFrom("sessions")
    .select(["id", "kind", "created_at", "last_seen_at", "expires_at", "ip", "user_agent"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", new Date())
    .orderBy("last_seen_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    current: row.id === currentSessionId,
  }));
}

/**
 * Signs a user out: deletes their sessions (browsers and command lines), all of them or all but
 * `exceptSessionId`, and answers how many ended.
 */
export async function endSessionsOf(
  db: DB | Transaction<Database>,
  userId: string,
  exceptSessionId?: string,
): Promise<number> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptSessionId !== undefined) query = query.where("id", "!=", exceptSessionId);
  const ended = await query.executeTakeFirst();
  return Number(ended.numDeletedRows);
}
