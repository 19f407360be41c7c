import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { resetUserData } from "../../auth/api/get-me.ts";
import { setSessionNotice } from "../../auth/api/session-notice.ts";
import { sessionKeys } from "./session-keys.ts";

export function endOwnSession(id: string): Promise<void> {
  return api.delete<void>(`/me/sessions/${encodeURIComponent(id)}`);
}

/**
 * Ends one of the caller's sessions. Ending the one in use signs this browser out, exactly as
 * "Sign out" does: the server has cleared the cookie, and the app forgets the user.
 */
export function useEndOwnSession() {
  const client = useQueryClient();
  return useMutation<void, ApiError, { id: string; current: boolean }>({
    mutationFn: ({ id }) => endOwnSession(id),
    onSuccess: (_result, { current }) => {
      if (current) {
        setSessionNotice("signed_out");
        resetUserData(client, null);
        return;
      }
      return client.invalidateQueries({ queryKey: sessionKeys.own() });
    },
  });
}
