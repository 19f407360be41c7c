import type { UserList } from "@keyward/contracts/users";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

// Used by the filter panel on the table page, so typed rather than schema-checked (see
// list-tokens.ts).
export function searchUsers(
  q: string,
  activeOnly: boolean,
  signal?: AbortSignal,
): Promise<UserList> {
  return api.get<UserList>("/users", {
    query: { q: q.trim() || undefined, limit: 8, status: activeOnly ? "active" : undefined },
    ...(signal ? { signal } : {}),
  });
}

/**
 * Users matching a type-ahead search (username, display name or email). Filters look at every
 * user (a disabled user's tokens are still listed); a new token's owner must be active.
 */
export function searchUsersQueryOptions(q: string, activeOnly = false) {
  return queryOptions({
    queryKey: ["users", "search", q.trim(), activeOnly] as const,
    queryFn: ({ signal }) => searchUsers(q, activeOnly, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
