import { type Settings, settingsSchema } from "@keyward/contracts/settings";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

export function getSettings(signal?: AbortSignal): Promise<Settings> {
  return api.get("/settings", { schema: settingsSchema, ...(signal ? { signal } : {}) });
}

/** Token policy (maximum and default lifetime), set by the deployment's environment. */
export function settingsQueryOptions() {
  return queryOptions({
    queryKey: ["settings"] as const,
    queryFn: ({ signal }) => getSettings(signal),
    staleTime: 5 * 60_000,
  });
}
