import type { BulkTokensInput, BulkTokensResult } from "@keyward/contracts/tokens";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { tokenKeys } from "./token-keys.ts";

/** All or nothing on the server: either every id changes or none does. */
export function bulkTokens(input: BulkTokensInput): Promise<BulkTokensResult> {
  return api.post<BulkTokensResult>("/tokens/bulk", input);
}

export function useBulkTokens() {
  const client = useQueryClient();
  return useMutation<BulkTokensResult, ApiError, BulkTokensInput>({
    mutationFn: bulkTokens,
    onSuccess: (_result, { action, ids }) => {
      if (action === "delete") {
        for (const id of ids) client.removeQueries({ queryKey: tokenKeys.detail(id) });
      } else {
        for (const id of ids) void client.invalidateQueries({ queryKey: tokenKeys.detail(id) });
      }
      return client.invalidateQueries({ queryKey: tokenKeys.lists() });
    },
  });
}
