import type { RoleDto } from "@keyward/contracts/roles";
import { allowedIdsOf } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { assertVisible, requireAccess } from "../admin-access.ts";
import { compareRoles, getRoleDto, selectRoles, toRoleDto } from "./role-rows.ts";

// Roles are readable with `roles.manage`, and with `users.manage` because assigning a role to a
// user means choosing one from this list.

export async function listRoles(ctx: ServiceContext): Promise<RoleDto[]> {
  const caller = requireAccess(ctx, "role:read", "roles.manage", "users.manage");
  const visible = allowedIdsOf(caller, "role");
  let query = selectRoles(ctx.deps.db.db);
  if (visible !== "all") query = query.where("r.id", "in", visible);
  const rows = await query.execute();
  return rows.map(toRoleDto).sort(compareRoles);
}

export async function getRole(ctx: ServiceContext, roleId: string): Promise<RoleDto> {
  const caller = requireAccess(ctx, "role:read", "roles.manage", "users.manage");
  assertVisible(caller, "role", roleId, "role_not_found");
  return getRoleDto(ctx.deps.db.db, roleId);
}
