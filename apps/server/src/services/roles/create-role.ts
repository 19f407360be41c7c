import { expandPermissions } from "@keyward/contracts/permissions";
import type { CreateRoleInput, RoleDto } from "@keyward/contracts/roles";
import { requireAllowedKind } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import { newId } from "../../lib/ids.ts";
import { assertWithinCaller, requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { getRoleDto, roleNameTaken } from "./role-rows.ts";

/** Creates a custom role (`roles.manage`) granting only permissions the caller holds. */
export async function createRole(ctx: ServiceContext, input: CreateRoleInput): Promise<RoleDto> {
  const caller = requireAccess(ctx, "role:create", "roles.manage");
  requireAllowedKind(caller, "role");
  // Stored with implications spelled out, so the checklist shows exactly what the role grants.
  const permissions = expandPermissions(input.permissions);
  assertWithinCaller(caller, permissions, "This role");
  const id = newId("rol");
  const db = ctx.deps.db.db;
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("roles")
        .values({
          id,
          name: input.name,
          description: input.description ?? "",
          permissions,
          builtin: false,
        })
        .execute();
      await recordAudit(trx, ctx, {
        action: "role.created",
        targetType: "role",
        targetId: id,
        targetName: input.name,
        details: { permissions },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, "roles_name_lower_key")) throw roleNameTaken(input.name);
    throw error;
  }
  return getRoleDto(db, id);
}
