import type { Permission } from "@keyward/contracts/permissions";

// The contracts module that defines permissions also builds zod schemas at import time, and zod
// is about a fifth of the first download. The navigation needs only the list and the one
// implication rule, so they are restated here; the type checks below fail the build if the
// contracts list changes without this copy.
const permissionOrder = [
  "tokens.own.manage",
  "tokens.all.read",
  "tokens.all.manage",
  "users.manage",
  "roles.manage",
  "audit.read",
  "settings.manage",
] as const satisfies readonly Permission[];

type Unlisted = Exclude<Permission, (typeof permissionOrder)[number]>;
const everyPermissionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyPermissionListed;

/** `tokens.all.manage` implies reading all tokens (as `expandPermissions` in the contracts). */
export function expandPermissions(granted: readonly Permission[]): Permission[] {
  const set = new Set<Permission>(granted);
  if (set.has("tokens.all.manage")) set.add("tokens.all.read");
  return permissionOrder.filter((p) => set.has(p));
}

export function hasPermission(
  me: { role: { permissions: readonly Permission[] } },
  permission: Permission,
): boolean {
  return expandPermissions(me.role.permissions).includes(permission);
}
