import type { DB } from "@keyward/db/kysely";
import type { AppConfig } from "../../env.ts";

/** The token and session policy in effect (same names as AppConfig, which supplies defaults). */
export interface EffectivePolicy {
  maxTokenLifetimeMs: number | undefined;
  defaultTokenLifetimeMs: number | undefined;
  sessionDurationMs: number;
  sessionRefresh: boolean;
}

/** Keys of the `settings` table that hold policy, with their JSON values. */
export const POLICY_KEYS = {
  maxTokenLifetimeMs: "tokens.max_lifetime_ms", // number | null (null: unlimited)
  defaultTokenLifetimeMs: "tokens.default_lifetime_ms", // number | null (null: none)
  sessionDurationMs: "sessions.duration_ms", // number
  sessionRefresh: "sessions.refresh", // boolean
} as const satisfies Record<keyof EffectivePolicy, string>;

export type StoredPolicy = Partial<EffectivePolicy>;

const asLifetime = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;

/** What the settings table holds; a key absent (or unreadable) is left out. */
export async function readStoredPolicy(db: DB): Promise<StoredPolicy> {
  const rows = await db
    .selectFrom("settings")
    .select(["key", "value"])
    .where("key", "in", Object.values(POLICY_KEYS))
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const stored: StoredPolicy = {};
  for (const name of ["maxTokenLifetimeMs", "defaultTokenLifetimeMs"] as const) {
    if (byKey.has(POLICY_KEYS[name])) stored[name] = asLifetime(byKey.get(POLICY_KEYS[name]));
  }
  const duration = asLifetime(byKey.get(POLICY_KEYS.sessionDurationMs));
  if (duration !== undefined) stored.sessionDurationMs = duration;
  const refresh = byKey.get(POLICY_KEYS.sessionRefresh);
  if (typeof refresh === "boolean") stored.sessionRefresh = refresh;
  return stored;
}

/** A value set by its environment variable wins; else the stored one; else the default. */
export function effectivePolicy(config: AppConfig, stored: StoredPolicy): EffectivePolicy {
  const fixed = config.policyFixed;
  const pick = <K extends keyof EffectivePolicy>(key: K, isFixed: boolean): EffectivePolicy[K] =>
    !isFixed && Object.hasOwn(stored, key) ? (stored[key] as EffectivePolicy[K]) : config[key];
  return {
    maxTokenLifetimeMs: pick("maxTokenLifetimeMs", fixed.maxTokenLifetime),
    defaultTokenLifetimeMs: pick("defaultTokenLifetimeMs", fixed.defaultTokenLifetime),
    sessionDurationMs: pick("sessionDurationMs", fixed.sessionDuration),
    sessionRefresh: pick("sessionRefresh", fixed.sessionRefresh),
  };
}

// How long a process trusts its copy. The process that saves a change drops its copy at once;
// other processes over the same database (several replicas) pick it up within this time. That is
// the only cross-process propagation for now: a NOTIFY like auth/invalidation.ts would make it
// immediate if running several processes becomes common.
const CACHE_TTL_MS = 30_000;

/**
 * The effective policy, read from the database at most once per CACHE_TTL_MS (and after every
 * change made through this process), so token and session paths do not query it per request.
 */
export class PolicyCache {
  private cached: { at: number; value: Promise<EffectivePolicy> } | undefined;

  constructor(
    private readonly db: DB,
    private readonly config: AppConfig,
  ) {}

  get(): Promise<EffectivePolicy> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_TTL_MS) {
      const value = readStoredPolicy(this.db).then((stored) =>
        effectivePolicy(this.config, stored),
      );
      // A failed read is not kept: the next caller tries again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }

  /** Drops the copy (call after committing a change). */
  invalidate(): void {
    this.cached = undefined;
  }
}
