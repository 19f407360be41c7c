import { expandPermissions } from "@keyward/contracts/permissions";
import type { RoleDto, UpdateRoleInput } from "@keyward/contracts/roles";
import { toPermissions } from "../../auth/sessions.ts";
import type { ServiceContext } from "../../context.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import { assertVisible, assertWithinCaller, requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { getRoleDto, OWNER_ROLE_ID, roleNameTaken } from "./role-rows.ts";

/**
 * Edits a role (`roles.manage`). The Owner role is fixed; the other built-in roles keep their
 * names but their permissions and descriptions may change. A caller may change only a role
 * within their own, and add only permissions they hold. Changes apply from the next request of every holder: sessions read the role on
 * each request, and cached API-token answers are dropped on commit.
 */
export async function updateRole(
  ctx: ServiceContext,
  roleId: string,
  input: UpdateRoleInput,
): Promise<RoleDto> {
  const caller = requireAccess(ctx, "role:update", "roles.manage");
  assertVisible(caller, "role", roleId, "role_not_found");
  const db = ctx.deps.db.db;
  let permissionsChanged = false;
  try {
    await db.transaction().execute(async (trx) => {
      const role = await trx
        .selectFrom("roles")
        .select(["id", "name", "description", "permissions", "builtin"])
        .where("id", "=", roleId)
        .forUpdate()
        .executeTakeFirst();
      if (!role) throw new NotFoundError("role_not_found", "No such role.");
      if (role.id === OWNER_ROLE_ID) {
        throw new ForbiddenError(
          "The Owner role is fixed: it always grants everything.",
          "builtin_role",
        );
      }
      const renaming = input.name !== undefined && input.name !== role.name;
      if (role.builtin && renaming) {
        throw new ForbiddenError(`Built-in roles keep their names (${role.name}).`, "builtin_role");
      }

      const before = toPermissions(role.permissions);
      // As with users: a role that grants more than the caller's is not theirs to change, or
      // stripping it would demote people they could not touch directly.
      assertWithinCaller(caller, before, `${role.name}`);
      const after = input.permissions ? expandPermissions(input.permissions) : before;
      const added = after.filter((p) => !before.includes(p));
      const removed = before.filter((p) => !after.includes(p));
      assertWithinCaller(caller, added, "This change");
      const describing = input.description !== undefined && input.description !== role.description;

      await trx
        .updateTable("roles")
        .set({
          ...(renaming && input.name !== undefined ? { name: input.name } : {}),
          ...(describing && input.description !== undefined
            ? { description: input.description }
            : {}),
          ...(added.length || removed.length ? { permissions: after } : {}),
          updated_at: new Date(),
        })
        .where("id", "=", role.id)
        .execute();
      await recordAudit(trx, ctx, {
        action: "role.updated",
        targetType: "role",
        targetId: role.id,
        targetName: input.name ?? role.name,
        details: {
          ...(renaming ? { name: { from: role.name, to: input.name } } : {}),
          ...(describing ? { descriptionChanged: true } : {}),
          ...(added.length || removed.length ? { permissions: { added, removed } } : {}),
        },
      });
      // Any cached token answer of any holder may rest on the old permissions.
      permissionsChanged = added.length > 0 || removed.length > 0;
      if (permissionsChanged) await ctx.deps.invalidation.publish(trx, { kind: "all" });
    });
  } catch (error) {
    if (isUniqueViolation(error, "roles_name_lower_key")) throw roleNameTaken(input.name ?? "");
    throw error;
  }
  if (permissionsChanged) ctx.deps.invalidation.apply({ kind: "all" });
  return getRoleDto(db, roleId);
}
