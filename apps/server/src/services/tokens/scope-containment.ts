import { allowListWithin, scopeSetWithin } from "@keyward/contracts/scopes";
import type { DB } from "@keyward/db/kysely";
import type { Principal } from "../../auth/principal.ts";
import { toPermissions } from "../../auth/sessions.ts";
import { assertWithinCaller } from "../admin-access.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";

/**
 * A token may never give a token more than it has itself: its scopes must cover the new scopes,
 * and if it has an allow list, the new allow list must fit inside it. Session callers are
 * bounded by their role, which scopes cannot exceed anyway.
 */
export function requireWithinCallerToken(
  principal: Principal,
  wanted: { scopes?: readonly string[] | undefined; allow?: readonly string[] | undefined },
): void {
  const own = principal.token;
  if (!own) return;
  if (wanted.scopes && !scopeSetWithin(wanted.scopes, own.scopes)) {
    throw new ForbiddenError(
      "An API token cannot grant scopes broader than its own.",
      "scope_exceeds_caller",
    );
  }
  if (wanted.allow && !allowListWithin(wanted.allow, own.allow)) {
    throw new ForbiddenError(
      "An API token cannot grant an allow list broader than its own.",
      "scope_exceeds_caller",
    );
  }
}

/**
 * Nor may a token give a token a longer life than its own: a leaked token that expires in an hour
 * must not mint, or turn itself into, one that never does. `expiresAt` is the new expiry (null:
 * never); session callers are bounded by the lifetime policy alone.
 */
export function requireExpiryWithinCallerToken(principal: Principal, expiresAt: Date | null): void {
  const own = principal.token?.expiresAt;
  if (!own) return;
  if (expiresAt === null || expiresAt.getTime() > own.getTime()) {
    const message = `An API token cannot give a token a later expiry than its own (${own.toISOString()}).`;
    throw new ValidationError(
      message,
      [{ path: ["expiresAt"], message, code: "expiry_exceeds_caller" }],
      "expiry_exceeds_caller",
    );
  }
}

/**
 * A token caller may change a token (edit, enable, regenerate) only if that token stays within its
 * own bounds: scopes, allow list and expiry. Otherwise a narrow or short-lived token could switch
 * a broader token back on after an administrator disabled it, or narrow a longer-lived one and
 * then regenerate it for a secret that outlives its own. Disabling and deleting take rights away,
 * and stay open to it. Refusal: 403 `scope_exceeds_caller`.
 */
export function requireTargetWithinCallerToken(
  principal: Principal,
  target: { scopes: readonly string[]; allow: readonly string[]; expires_at: Date | null },
): void {
  const own = principal.token;
  if (!own) return;
  const within =
    scopeSetWithin(target.scopes, own.scopes) &&
    allowListWithin(target.allow, own.allow) &&
    (!own.expiresAt ||
      (target.expires_at !== null && target.expires_at.getTime() <= own.expiresAt.getTime()));
  if (!within) {
    throw new ForbiddenError(
      "An API token can change only tokens within its own scopes, allow list and expiry; it may still disable or delete this one.",
      "scope_exceeds_caller",
    );
  }
}

/**
 * A secret for another user's token (creating one on their behalf, or regenerating theirs) acts
 * with that user's role: it may only be handed to a caller whose role grants everything theirs
 * does. Otherwise `tokens.all.manage` alone would mint an Owner's token and act as the Owner.
 * Answers the owner's id and username.
 */
export async function requireOwnerWithinCaller(
  db: DB,
  principal: Principal,
  ownerId: string,
): Promise<{ id: string; username: string }> {
  const owner = await db
    .selectFrom("users as u")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select(["u.id", "u.username", "r.name as role_name", "r.permissions"])
    .where("u.id", "=", ownerId)
    .executeTakeFirst();
  if (!owner) throw new NotFoundError("user_not_found", "No such user.");
  if (owner.id !== principal.user.id) {
    assertWithinCaller(
      principal,
      toPermissions(owner.permissions),
      `A secret for ${owner.username}'s token would act with their role (${owner.role_name}), which`,
    );
  }
  return { id: owner.id, username: owner.username };
}
