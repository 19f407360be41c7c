import { formatDuration } from "@keyward/contracts/duration";
import type { Settings } from "@keyward/contracts/settings";
import { requireAllowedKind, requireCaller, requireScope } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import type { AppConfig } from "../../env.ts";
import type { EffectivePolicy } from "./policy.ts";

export const lifetime = (ms: number | undefined) => ({
  ms: ms ?? null,
  text: ms === undefined ? null : formatDuration(ms),
});

/** The policy as the API answers it. */
export function toSettings(config: AppConfig, policy: EffectivePolicy): Settings {
  return {
    tokens: {
      maxLifetime: lifetime(policy.maxTokenLifetimeMs),
      defaultLifetime: lifetime(policy.defaultTokenLifetimeMs ?? policy.maxTokenLifetimeMs),
      neverExpiresAllowed: policy.maxTokenLifetimeMs === undefined,
    },
    sessions: {
      duration: lifetime(policy.sessionDurationMs),
      refreshWhileInUse: policy.sessionRefresh,
    },
    fixedByEnvironment: { ...config.policyFixed },
  };
}

/**
 * Token and session policy in effect. Every signed-in user may read it: the create dialog needs
 * the default and the maximum lifetime.
 */
export async function getSettings(ctx: ServiceContext): Promise<Settings> {
  const principal = requireCaller(ctx);
  requireScope(principal, "settings:read");
  requireAllowedKind(principal, "settings");
  return toSettings(ctx.deps.config, await ctx.deps.policy.get());
}
