import {
  type Settings,
  type SettingsImpact,
  settingsImpactSchema,
  settingsSchema,
  type UpdateSettingsInput,
} from "@keyward/contracts/settings";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { settingsQueryOptions } from "./get-settings.ts";

export function updateSettings(input: UpdateSettingsInput): Promise<Settings> {
  return api.patch("/settings", input, { schema: settingsSchema });
}

/** Saves the policy; the token screens read the same query, so they see it at once. */
export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation<Settings, ApiError, UpdateSettingsInput>({
    mutationFn: updateSettings,
    onSuccess: (saved) => {
      client.setQueryData(settingsQueryOptions().queryKey, saved);
      return client.invalidateQueries({ queryKey: ["settings"] });
    },
  });
}

/** How many existing tokens a proposed maximum lifetime (e.g. `30d`) would exceed. */
export function settingsImpactQueryOptions(maxTokenLifetime: string) {
  return queryOptions({
    queryKey: ["settings", "impact", maxTokenLifetime] as const,
    queryFn: ({ signal }): Promise<SettingsImpact> =>
      api.get(`/settings/impact?maxTokenLifetime=${encodeURIComponent(maxTokenLifetime)}`, {
        schema: settingsImpactSchema,
        signal,
      }),
    staleTime: 0,
  });
}
