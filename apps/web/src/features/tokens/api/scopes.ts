import { type ScopeCatalog, scopeCatalogSchema } from "@keyward/contracts/scopes";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

export function getScopes(signal?: AbortSignal): Promise<ScopeCatalog> {
  return api.get("/scopes", { schema: scopeCatalogSchema, ...(signal ? { signal } : {}) });
}

/** The scope catalog changes only with a new server version. */
export function scopesQueryOptions() {
  return queryOptions({
    queryKey: ["scopes"] as const,
    queryFn: ({ signal }) => getScopes(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
