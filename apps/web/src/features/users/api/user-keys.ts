import type { ListUsersQuery } from "@keyward/contracts/users";

/**
 * Query keys for users. Everything starts with `["users"]` (the token screens' user search too),
 * so one invalidation after a change refreshes every list, search and user page.
 */
export const userKeys = {
  all: ["users"] as const,
  lists: () => ["users", "list"] as const,
  list: (query: Partial<ListUsersQuery>) => ["users", "list", query] as const,
  detail: (id: string) => ["users", "detail", id] as const,
};
