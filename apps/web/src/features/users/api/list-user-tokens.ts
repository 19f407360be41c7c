import type { ListTokensQuery, TokenList } from "@keyward/contracts/tokens";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

export const USER_TOKENS_SHOWN = 10;

export function listUserTokens(userId: string, signal?: AbortSignal): Promise<TokenList> {
  const query: ListTokensQuery = { userId: [userId], sort: "-createdAt", limit: USER_TOKENS_SHOWN };
  return api.get<TokenList>("/tokens", { query, ...(signal ? { signal } : {}) });
}

/**
 * The newest tokens of one user, for their user page. The key sits under the token screens'
 * `["tokens", "list"]` prefix, so a change made there refreshes this list too.
 */
export function userTokensQueryOptions(userId: string) {
  return queryOptions({
    queryKey: ["tokens", "list", "user-page", userId] as const,
    queryFn: ({ signal }) => listUserTokens(userId, signal),
    staleTime: 10_000,
  });
}
