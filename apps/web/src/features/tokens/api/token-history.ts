import { type TokenHistory, tokenHistorySchema } from "@keyward/contracts/audit";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { auditKeys } from "../../audit/api/list-audit.ts";

export function getTokenHistory(
  id: string,
  limit: number,
  signal?: AbortSignal,
): Promise<TokenHistory> {
  return api.get(`/tokens/${encodeURIComponent(id)}/history`, {
    query: { limit },
    schema: tokenHistorySchema,
    ...(signal ? { signal } : {}),
  });
}

/**
 * A token's latest audit events (GET /tokens/{id}/history), for anyone who may see the token.
 * Keyed under the audit log's keys: every successful change refreshes those (query-client.ts).
 */
export function tokenHistoryQueryOptions(id: string, limit: number) {
  return queryOptions({
    queryKey: [...auditKeys.all, "token-history", id, limit] as const,
    queryFn: ({ signal }) => getTokenHistory(id, limit, signal),
    staleTime: 5_000,
  });
}
