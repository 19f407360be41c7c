// The one place that decides what a caller may do. Effective rights are
//   the role's permissions ∩ the token's scopes ∩ the token's allow list
// (session callers have no scopes or allow list to narrow them). Services call these helpers;
// routes never decide access themselves. See docs/decisions/0009-token-authorization.md.
import type { Permission } from "@keyward/contracts/permissions";
import {
  allowListPermits,
  type RequiredScope,
  type ScopeResource,
  scopesCover,
} from "@keyward/contracts/scopes";
import type { ServiceContext } from "../context.ts";
import { ForbiddenError, UnauthenticatedError } from "../services/errors.ts";
import { hasPermission, type Principal } from "./principal.ts";

/** The caller, or 401. */
export function requireCaller(ctx: Pick<ServiceContext, "principal">): Principal {
  if (!ctx.principal) throw new UnauthenticatedError();
  return ctx.principal;
}

/** Does the caller hold the scope? A session caller has every scope; a token its own. */
function holdsScope(principal: Principal, scope: RequiredScope): boolean {
  return !principal.token || scopesCover(principal.token.scopes, scope);
}

/** A token caller needs the scope; a session caller has every scope. Refusal: 403. */
export function requireScope(principal: Principal, scope: RequiredScope): void {
  if (!holdsScope(principal, scope)) {
    throw new ForbiddenError(`This API token lacks the ${scope} scope.`, "insufficient_scope");
  }
}

/** The role must grant at least one of the permissions. Refusal: 403 `forbidden`. */
export function requireAnyPermission(principal: Principal, ...anyOf: Permission[]): void {
  if (!anyOf.some((p) => hasPermission(principal, p))) throw new ForbiddenError();
}

/** Does the caller's allow list (if any) permit this one resource? */
export function allowListAllows(
  principal: Principal,
  resource: ScopeResource,
  id: string,
): boolean {
  return !principal.token || allowListPermits(principal.token.allow, resource, id);
}

/** Does the caller's allow list (if any) leave every resource of a kind open? */
function allowListOpensKind(principal: Principal, resource: ScopeResource): boolean {
  const allow = principal.token?.allow ?? [];
  return allow.length === 0 || allow.includes(`${resource}:*`);
}

/**
 * Which resources of a kind the allow list leaves visible: "all", or the named ids. A token whose
 * allow list names none of this kind is refused outright (403 `resource_not_allowed`), since a
 * list it may see nothing of is a refusal, not an empty result.
 */
export function allowedIdsOf(principal: Principal, resource: ScopeResource): "all" | string[] {
  if (allowListOpensKind(principal, resource)) return "all";
  const allow = principal.token?.allow ?? [];
  const prefix = `${resource}:`;
  const ids = allow.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length));
  if (ids.length === 0) {
    throw new ForbiddenError(
      `This API token's allow list does not include any ${resource}.`,
      "resource_not_allowed",
    );
  }
  return ids;
}

/**
 * Could the caller read the audit log itself (GET /audit): `audit.read`, and for a token the
 * `audit:read` scope and an allow list that leaves the audit kind open. For answers that show
 * parts of the log to others, without what only its readers see.
 */
export function mayReadAuditLog(principal: Principal): boolean {
  return (
    hasPermission(principal, "audit.read") &&
    holdsScope(principal, "audit:read") &&
    allowListOpensKind(principal, "audit")
  );
}

/** Creating a resource names no id yet, so it needs `resource:*` on an allow list. */
export function requireAllowedKind(principal: Principal, resource: ScopeResource): void {
  if (allowedIdsOf(principal, resource) !== "all") {
    throw new ForbiddenError(
      `This API token's allow list does not include ${resource}:*.`,
      "resource_not_allowed",
    );
  }
}

// --- API tokens -------------------------------------------------------------------------------

/** May the caller use the token endpoints at all (own tokens or everyone's)? */
export function requireTokenAccess(principal: Principal, scope: RequiredScope): void {
  requireScope(principal, scope);
  requireAnyPermission(principal, "tokens.own.manage", "tokens.all.read", "tokens.all.manage");
}

export function canReadAllTokens(principal: Principal): boolean {
  return (
    hasPermission(principal, "tokens.all.read") || hasPermission(principal, "tokens.all.manage")
  );
}

/** Can the caller see this token? Callers who cannot see it get 404, never 403. */
export function canSeeToken(principal: Principal, token: { id: string; userId: string }): boolean {
  const ownerOk =
    canReadAllTokens(principal) ||
    (token.userId === principal.user.id && hasPermission(principal, "tokens.own.manage"));
  return ownerOk && allowListAllows(principal, "token", token.id);
}

/** Can the caller change this token (edit, enable, disable, regenerate, delete)? */
export function canManageToken(
  principal: Principal,
  token: { id: string; userId: string },
): boolean {
  const ownerOk =
    hasPermission(principal, "tokens.all.manage") ||
    (token.userId === principal.user.id && hasPermission(principal, "tokens.own.manage"));
  return ownerOk && allowListAllows(principal, "token", token.id);
}

// --- What a role allows, per scope ------------------------------------------------------------

/**
 * Which role permissions give a scope its meaning. Used by token verification for other
 * services, so a token whose owner's role cannot do `user:update` is refused that scope even if
 * the token lists it. An empty list means any signed-in user may (their own sessions, reading
 * the policy).
 */
const scopePermissions: Record<RequiredScope, Permission[]> = {
  "token:read": ["tokens.own.manage", "tokens.all.read", "tokens.all.manage"],
  "token:create": ["tokens.own.manage", "tokens.all.manage"],
  "token:update": ["tokens.own.manage", "tokens.all.manage"],
  "token:delete": ["tokens.own.manage", "tokens.all.manage"],
  // Reading users also serves the all-tokens screen (filter and pick owners), as in list-users.ts.
  "user:read": ["users.manage", "tokens.all.read", "tokens.all.manage"],
  "user:create": ["users.manage"],
  "user:update": ["users.manage"],
  "role:read": ["roles.manage", "users.manage"],
  "role:create": ["roles.manage"],
  "role:update": ["roles.manage"],
  "role:delete": ["roles.manage"],
  "audit:read": ["audit.read"],
  "settings:read": [],
  "settings:update": ["settings.manage"],
  "session:read": [],
  "session:create": [],
  "session:delete": [],
};

export function isRequiredScope(text: string): text is RequiredScope {
  return Object.hasOwn(scopePermissions, text);
}

/** Does the role allow what the scope names? */
export function roleAllowsScope(permissions: readonly Permission[], scope: RequiredScope): boolean {
  const needed = scopePermissions[scope];
  return needed.length === 0 || needed.some((p) => permissions.includes(p));
}
