import type { Me } from "@keyward/contracts/auth";
import type { QueryClient } from "@tanstack/react-query";
import type { ApiError } from "../../../lib/api-error.ts";
import { meQueryKey, resetUserData } from "./get-me.ts";
import { setSessionNotice } from "./session-notice.ts";

/**
 * What a 401 from any call but sign-in means: the session is gone. We drop the cached user and
 * their data; the app layout then sends the browser to sign-in with `next` set to where it was.
 */
export function endSessionAfterUnauthenticated(client: QueryClient, error: ApiError): void {
  const current = client.getQueryData<Me | null>(meQueryKey);
  // Already signed out (several requests failing together, or a request racing Sign out).
  if (current === null) return;
  if (current || error.code === "session_expired") setSessionNotice("session_ended");
  resetUserData(client, null);
}
