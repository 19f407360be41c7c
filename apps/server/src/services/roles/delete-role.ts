import type { ServiceContext } from "../../context.ts";
import { isForeignKeyViolation } from "../../lib/db-errors.ts";
import { assertVisible, requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";

function roleInUse(name: string, users?: number) {
  const who =
    users === undefined ? "Users have" : users === 1 ? "1 user has" : `${users} users have`;
  return new ConflictError(
    "role_in_use",
    `${who} the role ${name}. Move them to another role first.`,
  );
}

/** Deletes a custom role nobody holds (`roles.manage`). Built-in roles stay. */
export async function deleteRole(ctx: ServiceContext, roleId: string): Promise<void> {
  const caller = requireAccess(ctx, "role:delete", "roles.manage");
  assertVisible(caller, "role", roleId, "role_not_found");
  let roleName = "";
  try {
    await ctx.deps.db.db.transaction().execute(async (trx) => {
      const role = await trx
        .selectFrom("roles")
        .select(["id", "name", "permissions", "builtin"])
        .where("id", "=", roleId)
        .forUpdate()
        .executeTakeFirst();
      if (!role) throw new NotFoundError("role_not_found", "No such role.");
      roleName = role.name;
      if (role.builtin)
        throw new ForbiddenError(
          `${role.name} is a built-in role and cannot be deleted.`,
          "builtin_role",
        );
      const holders = await trx
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("role_id", "=", role.id)
        .executeTakeFirstOrThrow();
      if (Number(holders.n) > 0) throw roleInUse(role.name, Number(holders.n));
      await trx.deleteFrom("roles").where("id", "=", role.id).execute();
      await recordAudit(trx, ctx, {
        action: "role.deleted",
        targetType: "role",
        targetId: role.id,
        targetName: role.name,
        details: { permissions: role.permissions },
      });
    });
  } catch (error) {
    // Someone was given the role between the count and the delete: the foreign key refuses.
    if (isForeignKeyViolation(error)) throw roleInUse(roleName);
    throw error;
  }
}
