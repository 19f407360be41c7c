import { type AuditList, auditListSchema, type ListAuditQuery } from "@keyward/contracts/audit";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

export const auditKeys = {
  all: ["audit"] as const,
  list: (query: ListAuditQuery) => ["audit", "list", query] as const,
};

export function listAudit(query: ListAuditQuery, signal?: AbortSignal): Promise<AuditList> {
  return api.get("/audit", {
    query: { ...query },
    schema: auditListSchema,
    ...(signal ? { signal } : {}),
  });
}

/**
 * One page of the audit log, newest first. Kept fresh for a short while only: the log grows
 * with every action, and someone watching it expects to see what just happened.
 */
export function listAuditQueryOptions(query: ListAuditQuery) {
  return queryOptions({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => listAudit(query, signal),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}
