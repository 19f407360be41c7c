import { formatDuration } from "@keyward/contracts/duration";
import { ValidationError } from "../errors.ts";
import type { EffectivePolicy } from "../settings/policy.ts";

// A client that offers "the maximum" computes it from its own clock; allow that much drift.
const CLOCK_SKEW_MS = 60_000;

type Policy = Pick<EffectivePolicy, "maxTokenLifetimeMs" | "defaultTokenLifetimeMs">;

function refuse(
  code: "expiry_in_past" | "expiry_exceeds_max_lifetime" | "expiry_required",
  message: string,
): never {
  throw new ValidationError(message, [{ path: ["expiresAt"], message, code }], code);
}

/**
 * Checks an expiry the caller chose (null: never). The maximum lifetime counts from now, so an
 * edit can never extend a token beyond what a new token could get.
 */
export function checkExpiry(policy: Policy, requested: string | null, now: Date): Date | null {
  const max = policy.maxTokenLifetimeMs;
  if (requested === null) {
    if (max !== undefined) {
      refuse(
        "expiry_required",
        "Tokens must expire: this deployment sets a maximum token lifetime.",
      );
    }
    return null;
  }
  const at = new Date(requested);
  if (at.getTime() <= now.getTime()) refuse("expiry_in_past", "The expiry date is in the past.");
  if (max !== undefined && at.getTime() > now.getTime() + max + CLOCK_SKEW_MS) {
    refuse(
      "expiry_exceeds_max_lifetime",
      `The expiry is beyond the maximum token lifetime (${formatDuration(max)} from now).`,
    );
  }
  return at;
}

/** The expiry of a new token: as requested, else the default lifetime, else the maximum, else never. */
export function expiryForNewToken(
  policy: Policy,
  requested: string | null | undefined,
  now: Date,
): Date | null {
  if (requested !== undefined) return checkExpiry(policy, requested, now);
  const lifetime = policy.defaultTokenLifetimeMs ?? policy.maxTokenLifetimeMs;
  return lifetime === undefined ? null : new Date(now.getTime() + lifetime);
}
