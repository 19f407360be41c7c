import type { ErrorCode } from "@keyward/contracts/errors";
import type { Permission } from "@keyward/contracts/permissions";
import type { RequiredScope, ScopeResource } from "@keyward/contracts/scopes";
import {
  allowListAllows,
  requireAnyPermission,
  requireCaller,
  requireScope,
} from "../auth/authorize.ts";
import { hasPermission, type Principal } from "../auth/principal.ts";
import type { ServiceContext } from "../context.ts";
import { ForbiddenError, NotFoundError } from "./errors.ts";

// Access rules shared by the user, role and session administration verbs, built on the general
// ones in auth/authorize.ts (role ∩ token scopes ∩ token allow list).

/** The caller, if their role grants one of the permissions and a token caller has the scope. */
export function requireAccess(
  ctx: ServiceContext,
  scope: RequiredScope,
  ...anyOf: Permission[]
): Principal {
  const principal = requireCaller(ctx);
  if (anyOf.length > 0) requireAnyPermission(principal, ...anyOf);
  requireScope(principal, scope);
  return principal;
}

/** A resource outside a token's allow list is answered like one that does not exist. */
export function assertVisible(
  principal: Principal,
  resource: ScopeResource,
  id: string,
  code: ErrorCode,
) {
  if (!allowListAllows(principal, resource, id)) throw new NotFoundError(code, "Not found.");
}

/**
 * Nobody hands out more than they hold: a caller may only assign a role, grant a permission, or
 * change a user whose role grants nothing the caller's role lacks. Without this, `users.manage`
 * alone could create an Owner (or reset an Owner's password) and sign in as them.
 */
export function assertWithinCaller(
  principal: Principal,
  granted: readonly Permission[],
  what: string,
) {
  const missing = granted.filter((p) => !hasPermission(principal, p));
  if (missing.length > 0) {
    throw new ForbiddenError(
      `${what} grants permissions your role does not have (${missing.join(", ")}).`,
      "permissions_exceed_caller",
    );
  }
}
