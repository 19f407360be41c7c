import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { resetUserData } from "./get-me.ts";
import { setSessionNotice } from "./session-notice.ts";

export function logout(): Promise<void> {
  return api.post<void>("/auth/logout", undefined, { ignoreUnauthenticated: true });
}

/**
 * Ends the session on the server, then forgets the user locally; the app layout notices and shows
 * the sign-in page. If the server cannot be reached the session is still alive, so we say so
 * instead of pretending.
 */
export function useLogout() {
  const client = useQueryClient();
  const signOutLocally = () => {
    setSessionNotice("signed_out");
    resetUserData(client, null);
  };
  return useMutation<void, ApiError>({
    mutationFn: logout,
    onSuccess: signOutLocally,
    onError: (error) => {
      // The session was already over: the user is signed out either way.
      if (error.status === 401) signOutLocally();
    },
  });
}
