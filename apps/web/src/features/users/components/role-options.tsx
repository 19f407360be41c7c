import type { Permission } from "@keyward/contracts/permissions";
import type { RoleDto } from "@keyward/contracts/roles";

/** Whether the caller may hand this role out: nobody grants more than they hold. */
export function canAssignRole(role: RoleDto, callerPermissions: ReadonlySet<Permission>): boolean {
  return role.permissions.every((permission) => callerPermissions.has(permission));
}

/** <option>s for a role select; roles beyond the caller's own are listed but cannot be chosen. */
export function RoleOptions({
  roles,
  callerPermissions,
}: {
  roles: readonly RoleDto[];
  callerPermissions: ReadonlySet<Permission>;
}) {
  return (
    <>
      {roles.map((role) => {
        const allowed = canAssignRole(role, callerPermissions);
        return (
          <option key={role.id} value={role.id} disabled={!allowed}>
            {role.name}
            {allowed ? "" : " (beyond your own permissions)"}
          </option>
        );
      })}
    </>
  );
}
