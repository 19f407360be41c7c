import { type DB, sql, type Transaction } from "@keyward/db/kysely";
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
      actor_token_id: ctx.principal?.token?.id ?? null,
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

/**
 * Writes one audit row per target in a single statement (a bulk action on 10,000 tokens is one
 * INSERT, not 10,000), with the same action and details on each.
 */
export async function recordAuditMany(
  db: DB | Transaction<Database>,
  ctx: Pick<ServiceContext, "principal" | "meta">,
  entry: { action: string; targetType: string; details?: Record<string, unknown> },
  targets: readonly { id: string; name: string | null }[],
): Promise<void> {
  if (targets.length === 0) return;
  await sql`
    insert into audit_events
      (actor_id, actor_name, actor_token_id, action, target_type, target_id, target_name,
       details, ip, user_agent, request_id)
    select ${ctx.principal?.user.id ?? null}, ${ctx.principal?.user.username ?? null},
      ${ctx.principal?.token?.id ?? null}, ${entry.action}, ${entry.targetType}, t.id, t.name,
      ${JSON.stringify(entry.details ?? {})}::jsonb, ${ctx.meta.ip}, ${ctx.meta.userAgent},
      ${ctx.meta.requestId}
    from unnest(${targets.map((t) => t.id)}::text[], ${targets.map((t) => t.name)}::text[])
      as t(id, name)
  `.execute(db);
}
