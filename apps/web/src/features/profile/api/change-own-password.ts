import {
  type ChangedOwnPassword,
  type ChangeOwnPasswordInput,
  changedOwnPasswordSchema,
} from "@keyward/contracts/users";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { sessionKeys } from "../../sessions/api/session-keys.ts";

/** Changes the signed-in user's password; their other sessions end, so the session list is stale. */
export function useChangeOwnPassword() {
  const client = useQueryClient();
  return useMutation<ChangedOwnPassword, ApiError, ChangeOwnPasswordInput>({
    mutationFn: (input) => api.post("/me/password", input, { schema: changedOwnPasswordSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: sessionKeys.own() }),
  });
}
