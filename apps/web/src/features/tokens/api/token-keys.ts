import type { ListTokensQuery } from "@keyward/contracts/tokens";

/**
 * Query keys for tokens. Every list shares the `["tokens", "list"]` prefix so one invalidation
 * refreshes whatever page, filter or sort is on screen.
 */
export const tokenKeys = {
  all: ["tokens"] as const,
  lists: () => ["tokens", "list"] as const,
  list: (query: ListTokensQuery) => ["tokens", "list", query] as const,
  detail: (id: string) => ["tokens", "detail", id] as const,
};
