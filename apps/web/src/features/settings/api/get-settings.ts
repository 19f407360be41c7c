import { type Settings, settingsSchema } from "@keyward/contracts/settings";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

export function getSettings(signal?: AbortSignal): Promise<Settings> {
  return api.get("/settings", { schema: settingsSchema, ...(signal ? { signal } : {}) });
}

/**
 * Token and session policy. The key is shared with the token screens' copy of this call, which
 * reads the same answer for the create dialog.
 */
export function settingsQueryOptions() {
  return queryOptions({
    queryKey: ["settings"] as const,
    queryFn: ({ signal }) => getSettings(signal),
    staleTime: 60_000,
  });
}
