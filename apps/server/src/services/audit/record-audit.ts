import type { DB, Transaction } from "@keyward/db/kysely";
import type { Database } from "@keyward/db/types";
import type { ServiceContext } from "../../context.ts";

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  targetName?: string;
  details?: Record<string, unknown>;
  /** Overrides the actor when nobody is signed in yet (e.g. a failed sign-in names the username tried). */
  actorName?: string;
  actorId?: string | null;
}

/** Writes one audit row. Pass the transaction that makes the change, so both land or neither does. */
export async function recordAudit(
  db: DB | Transaction<Database>,
  ctx: Pick<ServiceContext, "principal" | "meta">,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      actor_id: entry.actorId !== undefined ? entry.actorId : (ctx.principal?.user.id ?? null),
      actor_name: entry.actorName ?? ctx.principal?.user.username ?? null,
      actor_token_id: null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      target_name: entry.targetName ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: ctx.meta.ip,
      user_agent: ctx.meta.userAgent,
      request_id: ctx.meta.requestId,
    })
    .execute();
}
