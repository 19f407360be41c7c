import type { TokenHistory, TokenHistoryQuery } from "@keyward/contracts/audit";
import { mayReadAuditLog, requireCaller, requireTokenAccess } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { toAuditDto } from "../audit/list-audit.ts";
import { findToken } from "./find-token.ts";

/** How many events the token page shows when the caller does not say. */
export const DEFAULT_TOKEN_HISTORY = 8;

/**
 * What happened to one token, newest first: the audit events that name it, for anyone who may
 * see the token (so its owner learns who disabled or regenerated it, and when). The addresses,
 * browsers and request ids in those events are the audit log's readers' to see: others get the
 * events without them.
 */
export async function tokenHistory(
  ctx: ServiceContext,
  tokenId: string,
  query: TokenHistoryQuery,
): Promise<TokenHistory> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:read");
  const { db } = ctx.deps.db;
  await findToken(db, principal, tokenId);
  const rows = await db
    .selectFrom("audit_events as a")
    .selectAll("a")
    .where("a.target_type", "=", "token")
    .where("a.target_id", "=", tokenId)
    .orderBy("a.occurred_at", "desc")
    .orderBy("a.id", "desc")
    .limit(query.limit ?? DEFAULT_TOKEN_HISTORY)
    .execute();
  const full = mayReadAuditLog(principal);
  return {
    items: rows.map((row) => {
      const event = toAuditDto(row);
      return full ? event : { ...event, ip: null, userAgent: null, requestId: null };
    }),
  };
}
