import { type SessionList, sessionListSchema } from "@keyward/contracts/sessions";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { sessionKeys } from "./session-keys.ts";

export function listOwnSessions(signal?: AbortSignal): Promise<SessionList> {
  return api.get("/me/sessions", { schema: sessionListSchema, ...(signal ? { signal } : {}) });
}

/** The caller's active browser and command-line sessions, most recently used first. */
export function ownSessionsQueryOptions() {
  return queryOptions({
    queryKey: sessionKeys.own(),
    queryFn: ({ signal }) => listOwnSessions(signal),
    staleTime: 5_000,
  });
}
