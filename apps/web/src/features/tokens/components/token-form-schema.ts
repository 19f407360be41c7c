import { allowEntrySchema } from "@keyward/contracts/scopes";
import type { Settings } from "@keyward/contracts/settings";
import { createTokenInputSchema } from "@keyward/contracts/tokens";
import { z } from "zod";

/** The deployment's token lifetime policy, as the forms need it. */
export interface LifetimePolicy {
  maxMs: number | null;
  maxText: string | null;
  defaultMs: number | null;
  neverAllowed: boolean;
}

export function lifetimePolicyOf(settings: Settings | undefined): LifetimePolicy {
  const tokens = settings?.tokens;
  return {
    maxMs: tokens?.maxLifetime.ms ?? null,
    maxText: tokens?.maxLifetime.text ?? null,
    defaultMs: tokens?.defaultLifetime.ms ?? null,
    neverAllowed: tokens?.neverExpiresAllowed ?? true,
  };
}

const DAY_MS = 86_400_000;

/** A Date as the value of <input type="datetime-local"> in the reader's time zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

export function daysFromNow(days: number, now = Date.now()): string {
  return toLocalInput(new Date(now + days * DAY_MS));
}

/** The latest expiry the policy allows, or null when there is no maximum. */
export function latestExpiry(policy: LifetimePolicy, now = Date.now()): Date | null {
  return policy.maxMs === null ? null : new Date(now + policy.maxMs);
}

/** The expiry a new token starts with: the default lifetime, else 30 days under a maximum. */
export function initialExpiry(policy: LifetimePolicy): { setExpiry: boolean; expiresAt: string } {
  const now = Date.now();
  if (policy.defaultMs !== null) {
    return { setExpiry: true, expiresAt: toLocalInput(new Date(now + policy.defaultMs)) };
  }
  if (!policy.neverAllowed || policy.maxMs !== null) {
    const ms = Math.min(30 * DAY_MS, policy.maxMs ?? 30 * DAY_MS);
    return { setExpiry: true, expiresAt: toLocalInput(new Date(now + ms)) };
  }
  return { setExpiry: false, expiresAt: daysFromNow(30, now) };
}

/** Why an expiry is not acceptable under the policy, or null when it is. */
export function expiryProblem(
  setExpiry: boolean,
  expiresAt: string,
  policy: LifetimePolicy,
  now = Date.now(),
): string | null {
  if (!setExpiry) {
    return policy.neverAllowed
      ? null
      : `Tokens must expire here: the maximum lifetime is ${policy.maxText ?? "limited"}.`;
  }
  if (!expiresAt) return "Choose the date and time the token expires";
  const at = new Date(expiresAt).getTime();
  if (Number.isNaN(at)) return "Enter a valid date and time";
  if (at <= now) return "Choose a time in the future";
  const latest = latestExpiry(policy, now);
  if (latest && at > latest.getTime()) {
    return `At most ${policy.maxText ?? "the maximum lifetime"} from now (${latest.toLocaleString(
      undefined,
      { dateStyle: "medium", timeStyle: "short" },
    )})`;
  }
  return null;
}

// The form's own shape, derived from the contracts so name and description follow the same rules
// as the API; the expiry, scopes and allow list are edited in form-friendly shapes and turned
// into the API input on submit.
const baseFields = createTokenInputSchema.pick({ name: true }).extend({
  description: z.string().trim().max(1000, "At most 1,000 characters"),
  setExpiry: z.boolean(),
  expiresAt: z.string(),
  enabled: z.boolean(),
  scopeMode: z.enum(["all", "custom"]),
  scopes: z.array(z.string()),
});

function checkScopes(
  values: { scopeMode: "all" | "custom"; scopes: string[] },
  ctx: z.RefinementCtx,
) {
  if (values.scopeMode === "custom" && values.scopes.length === 0) {
    ctx.addIssue({ code: "custom", path: ["scopes"], message: "Choose at least one scope" });
  }
}

export function createTokenFormSchema(policy: LifetimePolicy) {
  return baseFields.extend({ userId: z.string() }).superRefine((values, ctx) => {
    const problem = expiryProblem(values.setExpiry, values.expiresAt, policy);
    if (problem) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: problem });
    checkScopes(values, ctx);
  });
}
export type CreateTokenFormInput = z.input<ReturnType<typeof createTokenFormSchema>>;

/** Allow list entries, one a line; blank lines are ignored. */
export function allowLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function editTokenFormSchema(
  policy: LifetimePolicy,
  original: { setExpiry: boolean; expiresAt: string },
) {
  return baseFields.extend({ allow: z.string() }).superRefine((values, ctx) => {
    // An unchanged expiry is never re-checked: an expired token can still be renamed.
    const expiryChanged =
      values.setExpiry !== original.setExpiry ||
      (values.setExpiry && values.expiresAt !== original.expiresAt);
    if (expiryChanged) {
      const problem = expiryProblem(values.setExpiry, values.expiresAt, policy);
      if (problem) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: problem });
    }
    checkScopes(values, ctx);
    const lines = allowLines(values.allow);
    if (lines.length > 256) {
      ctx.addIssue({ code: "custom", path: ["allow"], message: "At most 256 entries" });
    }
    lines.forEach((line, index) => {
      const parsed = allowEntrySchema.safeParse(line);
      if (!parsed.success) {
        ctx.addIssue({
          code: "custom",
          path: ["allow"],
          message: `Line ${index + 1} (“${line}”): ${parsed.error.issues[0]?.message ?? "not valid"}`,
        });
      }
    });
  });
}
export type EditTokenFormInput = z.input<ReturnType<typeof editTokenFormSchema>>;

/** The ISO instant for the API, or null for "never". */
export function expiryForApi(setExpiry: boolean, expiresAt: string): string | null {
  return setExpiry ? new Date(expiresAt).toISOString() : null;
}
