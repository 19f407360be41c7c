import { type RoleList, roleListSchema } from "@keyward/contracts/roles";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { roleKeys } from "./role-keys.ts";

export function listRoles(signal?: AbortSignal): Promise<RoleList> {
  return api.get("/roles", { schema: roleListSchema, ...(signal ? { signal } : {}) });
}

/** Built-in roles first, then custom roles by name, each with how many users hold it. */
export function rolesQueryOptions() {
  return queryOptions({
    queryKey: roleKeys.list(),
    queryFn: ({ signal }) => listRoles(signal),
    staleTime: 30_000,
  });
}
