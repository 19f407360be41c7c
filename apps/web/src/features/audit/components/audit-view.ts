import type { ListAuditQuery } from "@keyward/contracts/audit";
import { API_BASE } from "../../../lib/api-client.ts";
import type { CursorView } from "../../../lib/use-cursor-view.ts";

// The audit log's filters and page live in the URL, so an investigation can be shared as a link.

export const auditPageSizes = [25, 50, 100, 200] as const;
export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const auditTargetTypes = ["token", "user", "role", "session", "settings"] as const;

export interface AuditView extends CursorView {
  action: string;
  actorId: string;
  targetType: string;
  targetId: string;
  /** yyyy-mm-ddThh:mm in the reader's time zone (a datetime-local value), inclusive. */
  from: string;
  until: string;
  limit: number;
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export function readAuditView(params: URLSearchParams): AuditView {
  const limit = Number(params.get("limit"));
  const targetType = params.get("targetType") ?? "";
  const from = params.get("from") ?? "";
  const until = params.get("until") ?? "";
  return {
    action: (params.get("action") ?? "").slice(0, 64),
    actorId: (params.get("actorId") ?? "").slice(0, 64),
    targetType: (auditTargetTypes as readonly string[]).includes(targetType) ? targetType : "",
    targetId: (params.get("targetId") ?? "").slice(0, 64),
    from: LOCAL.test(from) ? from : "",
    until: LOCAL.test(until) ? until : "",
    limit: (auditPageSizes as readonly number[]).includes(limit) ? limit : DEFAULT_AUDIT_PAGE_SIZE,
    cursor: params.get("cursor") || null,
  };
}

export function writeAuditView(view: AuditView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.action) params.set("action", view.action);
  if (view.actorId) params.set("actorId", view.actorId);
  if (view.targetType) params.set("targetType", view.targetType);
  if (view.targetId.trim()) params.set("targetId", view.targetId.trim());
  if (view.from) params.set("from", view.from);
  if (view.until) params.set("until", view.until);
  if (view.limit !== DEFAULT_AUDIT_PAGE_SIZE) params.set("limit", String(view.limit));
  if (view.cursor) params.set("cursor", view.cursor);
  return params;
}

/** A datetime-local value as an ISO instant; `plusMinute` makes "until 14:05" include 14:05. */
function instantOf(local: string, plusMinute = false): string | undefined {
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  if (plusMinute) date.setMinutes(date.getMinutes() + 1);
  return date.toISOString();
}

export function toAuditQuery(view: AuditView): ListAuditQuery {
  const query: ListAuditQuery = { limit: view.limit };
  if (view.action) query.action = view.action;
  if (view.actorId) query.actorId = view.actorId;
  if (view.targetType) query.targetType = view.targetType;
  if (view.targetId.trim()) query.targetId = view.targetId.trim();
  const after = view.from ? instantOf(view.from) : undefined;
  const before = view.until ? instantOf(view.until, true) : undefined;
  // The server's bounds are exclusive; one millisecond earlier makes "from" inclusive.
  if (after) query.occurredAfter = new Date(new Date(after).getTime() - 1).toISOString();
  if (before) query.occurredBefore = before;
  if (view.cursor) query.cursor = view.cursor;
  return query;
}

export function hasAuditFilters(view: AuditView): boolean {
  return Boolean(
    view.action || view.actorId || view.targetType || view.targetId || view.from || view.until,
  );
}

export const clearedAuditFilters = {
  action: "",
  actorId: "",
  targetType: "",
  targetId: "",
  from: "",
  until: "",
} as const;

/** The CSV export of every event the view's filters select (GET /audit/export), as a link. */
export function auditExportHref(view: AuditView): string {
  const { limit: _limit, cursor: _cursor, ...filters } = toAuditQuery(view);
  const params = new URLSearchParams(filters as Record<string, string>);
  return `${API_BASE}/audit/export${params.size ? `?${params}` : ""}`;
}
