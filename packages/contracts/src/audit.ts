import { z } from "zod";
import { isoDateTimeSchema as isoDateTime } from "./datetime.ts";

/** The actor of a change made on the server's own machine (`pnpm reset-password`), not by a user. */
export const SERVER_COMMAND_ACTOR = "(server command line)";

export const auditEventSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  /** Set when the actor authenticated with an API token. */
  actorTokenId: z.string().nullable(),
  /** e.g. `token.create`, `token.disable`, `auth.login`. */
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const listAuditQuerySchema = z.object({
  action: z.string().min(1).max(64).optional(),
  actorId: z.string().min(1).max(64).optional(),
  targetType: z.string().min(1).max(32).optional(),
  targetId: z.string().min(1).max(64).optional(),
  occurredAfter: isoDateTime.optional(),
  occurredBefore: isoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(256).optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;

export const auditListSchema = z.object({
  /** Newest first. */
  items: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  totalIsEstimate: z.boolean(),
});
export type AuditList = z.infer<typeof auditListSchema>;

/** The most events GET /tokens/{id}/history answers with. */
export const MAX_TOKEN_HISTORY = 50;

export const tokenHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_TOKEN_HISTORY).optional(),
});
export type TokenHistoryQuery = z.infer<typeof tokenHistoryQuerySchema>;

/**
 * GET /api/v1/tokens/{id}/history: the latest audit events that name one token, newest first.
 * `ip`, `userAgent` and `requestId` are null unless the caller may read the audit log itself.
 */
export const tokenHistorySchema = z.object({
  items: z.array(auditEventSchema),
});
export type TokenHistory = z.infer<typeof tokenHistorySchema>;

/** The most audit events one export may hold: a larger one is refused, asking for a narrower range. */
export const MAX_AUDIT_EXPORT_ROWS = 100_000;

/** GET /api/v1/audit/export: the list's filters, every matching event (newest first) as CSV. */
export const exportAuditQuerySchema = listAuditQuerySchema.omit({ limit: true, cursor: true });
export type ExportAuditQuery = z.infer<typeof exportAuditQuerySchema>;

/** The export's columns, in order: the CSV header row. */
export const auditExportColumns = [
  "occurredAt",
  "actorName",
  "actorId",
  "actorTokenId",
  "action",
  "targetType",
  "targetId",
  "targetName",
  "details",
  "ip",
  "userAgent",
  "requestId",
] as const;
