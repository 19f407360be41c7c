import { formatDuration } from "@keyward/contracts/duration";
import type { Settings } from "@keyward/contracts/settings";
import { requireCaller, requireScope } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";

const lifetime = (ms: number | undefined) => ({
  ms: ms ?? null,
  text: ms === undefined ? null : formatDuration(ms),
});

/**
 * Token and session policy. Every signed-in user may read it: the create dialog needs the default
 * and the maximum lifetime.
 */
export function getSettings(ctx: ServiceContext): Settings {
  const principal = requireCaller(ctx);
  requireScope(principal, "settings:read");
  const { config } = ctx.deps;
  return {
    tokens: {
      maxLifetime: lifetime(config.maxTokenLifetimeMs),
      defaultLifetime: lifetime(config.defaultTokenLifetimeMs ?? config.maxTokenLifetimeMs),
      neverExpiresAllowed: config.maxTokenLifetimeMs === undefined,
    },
    sessions: {
      duration: lifetime(config.sessionDurationMs),
      refreshWhileInUse: config.sessionRefresh,
    },
    source: "environment",
  };
}
