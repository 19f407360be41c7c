import { type Token, tokenSchema } from "@keyward/contracts/tokens";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { tokenKeys } from "./token-keys.ts";

export function getToken(id: string, signal?: AbortSignal): Promise<Token> {
  return api.get(`/tokens/${encodeURIComponent(id)}`, {
    schema: tokenSchema,
    ...(signal ? { signal } : {}),
  });
}

export function tokenQueryOptions(id: string) {
  return queryOptions({
    queryKey: tokenKeys.detail(id),
    queryFn: ({ signal }) => getToken(id, signal),
  });
}
