import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { tokenKeys } from "./token-keys.ts";

export function deleteToken(id: string): Promise<void> {
  return api.delete<void>(`/tokens/${encodeURIComponent(id)}`);
}

export function useDeleteToken() {
  const client = useQueryClient();
  return useMutation<void, ApiError, { id: string }>({
    mutationFn: ({ id }) => deleteToken(id),
    onSuccess: (_result, { id }) => {
      client.removeQueries({ queryKey: tokenKeys.detail(id) });
      return client.invalidateQueries({ queryKey: tokenKeys.lists() });
    },
  });
}
