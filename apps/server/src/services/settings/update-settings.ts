import { formatDuration, parseDuration } from "@keyward/contracts/duration";
import type { FieldIssue } from "@keyward/contracts/errors";
import type { Settings, UpdateSettingsInput } from "@keyward/contracts/settings";
import { sql } from "@keyward/db/kysely";
import { requireAllowedKind } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import type { PolicyFixed } from "../../env.ts";
import { requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { toSettings } from "./get-settings.ts";
import {
  type EffectivePolicy,
  effectivePolicy,
  POLICY_KEYS,
  readStoredPolicy,
  type StoredPolicy,
} from "./policy.ts";

/** Shorter sessions would sign people out between the once-a-minute refreshes. */
const MIN_SESSION_DURATION_MS = 5 * 60_000;

const fields = [
  ["maxTokenLifetime", "maxTokenLifetimeMs", "KEYWARD_MAX_TOKEN_LIFETIME"],
  ["defaultTokenLifetime", "defaultTokenLifetimeMs", "KEYWARD_DEFAULT_TOKEN_LIFETIME"],
  ["sessionDuration", "sessionDurationMs", "KEYWARD_SESSION_DURATION"],
  ["sessionRefresh", "sessionRefresh", "KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH"],
] as const satisfies readonly (readonly [
  keyof UpdateSettingsInput & keyof PolicyFixed,
  keyof EffectivePolicy,
  string,
])[];

const durationMs = (text: string | null | undefined) =>
  text === null || text === undefined ? undefined : (parseDuration(text) ?? undefined);

const shown = (value: number | boolean | undefined) =>
  typeof value === "number" ? formatDuration(value) : (value ?? null);

/**
 * Changes the token and session policy (`settings.manage`; tokens need `settings:update`). A
 * value its environment variable sets cannot be changed (409 `setting_fixed_by_environment`).
 * The new policy applies to tokens created or edited and sessions started or refreshed
 * afterwards; existing tokens keep their expiry.
 */
export async function updateSettings(
  ctx: ServiceContext,
  input: UpdateSettingsInput,
): Promise<Settings> {
  // The policy has no id: an allow list must name settings:* for it.
  requireAllowedKind(requireAccess(ctx, "settings:update", "settings.manage"), "settings");
  const { config } = ctx.deps;

  const fixed = fields.filter(([name]) => input[name] !== undefined && config.policyFixed[name]);
  if (fixed.length > 0) {
    const issues: FieldIssue[] = fixed.map(([name, , variable]) => ({
      path: [name],
      message: `Set by ${variable}; change the environment variable and restart the server.`,
      code: "setting_fixed_by_environment",
    }));
    throw new ConflictError(
      "setting_fixed_by_environment",
      `Fixed by the environment: ${fixed.map(([, , v]) => v).join(", ")}.`,
      issues,
    );
  }

  const changes: StoredPolicy = {};
  if (input.maxTokenLifetime !== undefined) {
    changes.maxTokenLifetimeMs = durationMs(input.maxTokenLifetime);
  }
  if (input.defaultTokenLifetime !== undefined) {
    changes.defaultTokenLifetimeMs = durationMs(input.defaultTokenLifetime);
  }
  if (input.sessionDuration !== undefined) {
    const ms = durationMs(input.sessionDuration) ?? 0;
    if (ms < MIN_SESSION_DURATION_MS) {
      const message = "A session must last at least 5 minutes.";
      throw new ValidationError(message, [{ path: ["sessionDuration"], message }]);
    }
    changes.sessionDurationMs = ms;
  }
  if (input.sessionRefresh !== undefined) changes.sessionRefresh = input.sessionRefresh;

  const db = ctx.deps.db.db;
  const after = await db.transaction().execute(async (trx) => {
    // One change at a time, so two saves cannot together break "default ≤ maximum".
    await sql`lock table settings in share row exclusive mode`.execute(trx);
    const stored = await readStoredPolicy(trx);
    const before = effectivePolicy(config, stored);
    const next = effectivePolicy(config, { ...stored, ...changes });
    if (
      next.defaultTokenLifetimeMs !== undefined &&
      next.maxTokenLifetimeMs !== undefined &&
      next.defaultTokenLifetimeMs > next.maxTokenLifetimeMs
    ) {
      const message = `The default lifetime (${formatDuration(next.defaultTokenLifetimeMs)}) is longer than the maximum (${formatDuration(next.maxTokenLifetimeMs)}).`;
      throw new ValidationError(
        message,
        [
          {
            path: [
              input.defaultTokenLifetime !== undefined
                ? "defaultTokenLifetime"
                : "maxTokenLifetime",
            ],
            message,
            code: "default_exceeds_max_lifetime",
          },
        ],
        "default_exceeds_max_lifetime",
      );
    }

    const details: Record<string, { from: unknown; to: unknown }> = {};
    const now = new Date();
    for (const [name, key] of fields) {
      if (!Object.hasOwn(changes, key)) continue;
      const value = changes[key];
      await trx
        .insertInto("settings")
        .values({
          key: POLICY_KEYS[key],
          value: JSON.stringify(value ?? null),
          updated_at: now,
          updated_by: ctx.principal?.user.id ?? null,
        })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            value: JSON.stringify(value ?? null),
            updated_at: now,
            updated_by: ctx.principal?.user.id ?? null,
          }),
        )
        .execute();
      if (before[key] !== next[key])
        details[name] = { from: shown(before[key]), to: shown(next[key]) };
    }
    if (Object.keys(details).length > 0) {
      await recordAudit(trx, ctx, {
        action: "settings.updated",
        targetType: "settings",
        targetName: "Token and session policy",
        details,
      });
    }
    return next;
  });
  // Single process: this copy is dropped at once. Other processes see it after the cache TTL.
  ctx.deps.policy.invalidate();
  return toSettings(config, after);
}
