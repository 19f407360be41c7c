import { z } from "zod";
import { parseDuration } from "./duration.ts";

const lifetimeSchema = z.object({
  /** Milliseconds, or null when not set. */
  ms: z.number().int().nullable(),
  /** The same as text, e.g. `90d`, or null. */
  text: z.string().nullable(),
});

/**
 * Token and session policy in effect: a value set by its environment variable wins, else the
 * value saved on the Settings page, else the built-in default.
 */
export const settingsSchema = z.object({
  tokens: z.object({
    /** KEYWARD_MAX_TOKEN_LIFETIME; null: unlimited, and tokens may never expire. */
    maxLifetime: lifetimeSchema,
    /** KEYWARD_DEFAULT_TOKEN_LIFETIME; offered by the create dialog. */
    defaultLifetime: lifetimeSchema,
    /** Whether "never expires" may be chosen (only without a maximum). */
    neverExpiresAllowed: z.boolean(),
  }),
  sessions: z.object({
    /** KEYWARD_SESSION_DURATION. */
    duration: lifetimeSchema,
    /** False when KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH is set. */
    refreshWhileInUse: z.boolean(),
  }),
  /** Per value: true when its environment variable sets it, so it cannot be changed here. */
  fixedByEnvironment: z.object({
    maxTokenLifetime: z.boolean(),
    defaultTokenLifetime: z.boolean(),
    sessionDuration: z.boolean(),
    sessionRefresh: z.boolean(),
  }),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A duration as operators write it (`90d`, `720h`, `1h30m`), checked with parseDuration. */
export const durationTextSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine((text) => parseDuration(text) !== null, {
    message: "Not a duration like 720h, 90d or 1h30m",
  });

/**
 * PATCH /settings. Omitted values stay as they are. For the token lifetimes, null means "none":
 * no maximum (unlimited) or no default (the maximum, else never, is offered).
 */
export const updateSettingsInputSchema = z
  .object({
    maxTokenLifetime: durationTextSchema.nullable().optional(),
    defaultTokenLifetime: durationTextSchema.nullable().optional(),
    sessionDuration: durationTextSchema.optional(),
    sessionRefresh: z.boolean().optional(),
  })
  .strict();
export type UpdateSettingsInput = z.infer<typeof updateSettingsInputSchema>;

/** GET /settings/impact?maxTokenLifetime=30d: how many existing tokens a new maximum exceeds. */
export const settingsImpactQuerySchema = z.object({ maxTokenLifetime: durationTextSchema });

export const settingsImpactSchema = z.object({
  /** The proposed maximum, normalised. */
  maxLifetime: lifetimeSchema,
  /** Tokens that never expire or expire later than now + the maximum. */
  tokensExceeding: z.number().int(),
  /** True when the count is the planner's estimate (above the exact-count cap). */
  tokensExceedingIsEstimate: z.boolean(),
});
export type SettingsImpact = z.infer<typeof settingsImpactSchema>;
