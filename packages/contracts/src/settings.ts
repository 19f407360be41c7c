import { z } from "zod";

const lifetimeSchema = z.object({
  /** Milliseconds, or null when not set. */
  ms: z.number().int().nullable(),
  /** The same as text, e.g. `90d`, or null. */
  text: z.string().nullable(),
});

/** Token and session policy. Set by environment variables; shown on the Settings page. */
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
  /** Every value comes from the environment; the API cannot change them yet. */
  source: z.literal("environment"),
});
export type Settings = z.infer<typeof settingsSchema>;
