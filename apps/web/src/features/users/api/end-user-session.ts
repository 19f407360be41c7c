import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { userKeys } from "./user-keys.ts";

export function endUserSession(userId: string, sessionId: string): Promise<void> {
  return api.delete<void>(
    `/users/${encodeURIComponent(userId)}/sessions/${encodeURIComponent(sessionId)}`,
  );
}

export function useEndUserSession() {
  const client = useQueryClient();
  return useMutation<void, ApiError, { userId: string; sessionId: string }>({
    mutationFn: ({ userId, sessionId }) => endUserSession(userId, sessionId),
    onSuccess: (_result, { userId }) =>
      client.invalidateQueries({ queryKey: userKeys.detail(userId) }),
  });
}
