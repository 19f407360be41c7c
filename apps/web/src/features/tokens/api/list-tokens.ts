import type { ListTokensQuery, TokenList } from "@keyward/contracts/tokens";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { tokenKeys } from "./token-keys.ts";

// The list is on the token page's first render, so its answer is typed but not checked with the
// contracts' zod schema: that would add zod to the JavaScript the page needs before it shows.

export function listTokens(query: ListTokensQuery, signal?: AbortSignal): Promise<TokenList> {
  return api.get<TokenList>("/tokens", {
    query: { ...query, userId: query.userId ?? [] },
    ...(signal ? { signal } : {}),
  });
}

/**
 * One page of tokens. The previous page stays on screen while the next one loads, so paging and
 * filtering never flash an empty table.
 */
export function listTokensQueryOptions(query: ListTokensQuery) {
  return queryOptions({
    queryKey: tokenKeys.list(query),
    queryFn: ({ signal }) => listTokens(query, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
