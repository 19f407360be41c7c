import { type EndedSessions, endedSessionsSchema } from "@keyward/contracts/sessions";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { userKeys } from "./user-keys.ts";

/** Signs a user out everywhere: every browser and command-line session. */
export function endUserSessions(userId: string): Promise<EndedSessions> {
  return api.delete(`/users/${encodeURIComponent(userId)}/sessions`, {
    schema: endedSessionsSchema,
  });
}

export function useEndUserSessions() {
  const client = useQueryClient();
  return useMutation<EndedSessions, ApiError, { userId: string }>({
    mutationFn: ({ userId }) => endUserSessions(userId),
    onSuccess: (_result, { userId }) =>
      client.invalidateQueries({ queryKey: userKeys.detail(userId) }),
  });
}
