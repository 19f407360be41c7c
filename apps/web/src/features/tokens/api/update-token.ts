import type { Token, TokenList, TokenStatus, UpdateTokenInput } from "@keyward/contracts/tokens";
import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { tokenKeys } from "./token-keys.ts";

// Typed, not schema-checked: the status toggle runs on the table page, which keeps zod out of its
// first download (see list-tokens.ts).
export function updateToken(id: string, input: UpdateTokenInput): Promise<Token> {
  return api.patch<Token>(`/tokens/${encodeURIComponent(id)}`, input);
}

export function useUpdateToken() {
  const client = useQueryClient();
  return useMutation<Token, ApiError, { id: string; input: UpdateTokenInput }>({
    mutationFn: ({ id, input }) => updateToken(id, input),
    onSuccess: (token) => {
      client.setQueryData(tokenKeys.detail(token.id), token);
      return client.invalidateQueries({ queryKey: tokenKeys.lists() });
    },
  });
}

type ListSnapshot = [readonly unknown[], TokenList | undefined][];

function setStatusInLists(client: QueryClient, id: string, status: TokenStatus) {
  client.setQueriesData<TokenList>({ queryKey: tokenKeys.lists() }, (list) =>
    list
      ? {
          ...list,
          items: list.items.map((token) => (token.id === id ? { ...token, status } : token)),
        }
      : list,
  );
}

/**
 * Flips one token's status from the table. The row changes at once; if the server refuses, every
 * cached list goes back to what it showed before and the caller reports the error.
 */
export function useSetTokenStatus() {
  const client = useQueryClient();
  return useMutation<
    Token,
    ApiError,
    { id: string; status: TokenStatus },
    { snapshot: ListSnapshot }
  >({
    mutationFn: ({ id, status }) => updateToken(id, { status }),
    onMutate: async ({ id, status }) => {
      await client.cancelQueries({ queryKey: tokenKeys.lists() });
      const snapshot = client.getQueriesData<TokenList>({ queryKey: tokenKeys.lists() });
      setStatusInLists(client, id, status);
      return { snapshot };
    },
    onError: (_error, _variables, context) => {
      for (const [key, data] of context?.snapshot ?? []) client.setQueryData(key, data);
    },
    onSuccess: (token) => {
      client.setQueryData(tokenKeys.detail(token.id), token);
    },
    onSettled: () => client.invalidateQueries({ queryKey: tokenKeys.lists() }),
  });
}
