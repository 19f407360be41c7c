import type {
  AuditEvent as AuditEventDto,
  AuditList,
  ExportAuditQuery,
  ListAuditQuery,
} from "@keyward/contracts/audit";
import { type DB, sql } from "@keyward/db/kysely";
import type { AuditEvent } from "@keyward/db/types";
import {
  requireAllowedKind,
  requireAnyPermission,
  requireCaller,
  requireScope,
} from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { countCapped, decodeCursor, encodeCursor } from "../pagination.ts";

export function toAuditDto(row: AuditEvent): AuditEventDto {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at.toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorTokenId: row.actor_token_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    details: row.details,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
  };
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

// The id is cast to bigint in the query: 19 digits can still overflow it (a 500), so check the range.
const isAuditCursor = (value: unknown): value is { i: string } => {
  if (typeof value !== "object" || value === null) return false;
  const i = (value as { i?: unknown }).i;
  return typeof i === "string" && /^\d{1,19}$/.test(i) && BigInt(i) <= MAX_BIGINT;
};

/** Who may read the audit log: `audit.read`, and a token with the `audit:read` scope. */
export function requireAuditReader(ctx: ServiceContext) {
  const principal = requireCaller(ctx);
  requireScope(principal, "audit:read");
  requireAnyPermission(principal, "audit.read");
  requireAllowedKind(principal, "audit");
  return principal;
}

/**
 * The events after `id` in newest-first order (alias a), for keyset paging. The event's own
 * timestamp is read in the database: a JavaScript Date keeps milliseconds and PostgreSQL
 * microseconds, and the rows of one bulk action share one timestamp, so a rounded one skips the
 * rest of such a group.
 */
export function olderThanEvent(id: string) {
  return sql<boolean>`(a.occurred_at, a.id) < (select occurred_at, id from audit_events where id = ${id}::bigint)`;
}

/** The audit events a list or export filter selects (alias a), in no order. */
export function filteredAudit(db: DB, query: ExportAuditQuery) {
  let base = db.selectFrom("audit_events as a");
  if (query.action) base = base.where("a.action", "=", query.action);
  if (query.actorId) base = base.where("a.actor_id", "=", query.actorId);
  if (query.targetType) base = base.where("a.target_type", "=", query.targetType);
  if (query.targetId) base = base.where("a.target_id", "=", query.targetId);
  if (query.occurredAfter) base = base.where("a.occurred_at", ">", new Date(query.occurredAfter));
  if (query.occurredBefore) base = base.where("a.occurred_at", "<", new Date(query.occurredBefore));
  return base;
}

/**
 * The audit log, newest first, for `audit.read`. Keyset over (occurred_at, id) using the
 * existing descending index; the cursor names the last row's id and the query reads that row's
 * exact timestamp, since audit rows are never deleted.
 */
export async function listAudit(ctx: ServiceContext, query: ListAuditQuery): Promise<AuditList> {
  requireAuditReader(ctx);
  const limit = query.limit ?? 50;
  const { db } = ctx.deps.db;
  const base = filteredAudit(db, query);

  let page = base.selectAll("a");
  if (query.cursor) {
    const { i } = decodeCursor(query.cursor, isAuditCursor);
    page = page.where(olderThanEvent(i));
  }
  page = page
    .orderBy("a.occurred_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit + 1);

  const [rows, count] = await Promise.all([
    page.execute(),
    countCapped(db, base.select(sql<number>`1`.as("one"))),
  ]);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ i: String(last.id) }) : null;
  return { items: items.map(toAuditDto), nextCursor, ...count };
}
