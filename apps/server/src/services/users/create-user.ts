import type { CreateUserInput, UserDto } from "@keyward/contracts/users";
import { requireAllowedKind } from "../../auth/authorize.ts";
import { hashPassword } from "../../auth/password.ts";
import type { ServiceContext } from "../../context.ts";
import { isForeignKeyViolation, isUniqueViolation } from "../../lib/db-errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ConflictError } from "../errors.ts";
import { loadAssignableRole, unknownRole } from "./assignable-role.ts";
import { assertStrongPassword } from "./password-policy.ts";
import { getUserDto } from "./user-rows.ts";

function usernameTaken(username: string) {
  return new ConflictError("username_taken", `The username ${username} is already taken.`, [
    { path: ["username"], message: "Already taken", code: "username_taken" },
  ]);
}

/** Creates a user with an initial password (`users.manage`). Usernames are unique ignoring case. */
export async function createUser(ctx: ServiceContext, input: CreateUserInput): Promise<UserDto> {
  const caller = requireAccess(ctx, "user:create", "users.manage");
  requireAllowedKind(caller, "user");
  const db = ctx.deps.db.db;
  const role = await loadAssignableRole(db, caller, input.roleId);
  assertStrongPassword(input.password, input.username);
  // Hashing is deliberately slow; do it before the transaction so no locks wait on it.
  const passwordHash = await hashPassword(input.password);
  const id = newId("usr");
  const status = input.status ?? "active";

  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id,
          username: input.username,
          display_name: input.displayName ?? input.username,
          email: input.email ?? null,
          password_hash: passwordHash,
          role_id: role.id,
          status,
        })
        .execute();
      await recordAudit(trx, ctx, {
        action: "user.created",
        targetType: "user",
        targetId: id,
        targetName: input.username,
        details: { role: { id: role.id, name: role.name }, status },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_username_lower_key")) throw usernameTaken(input.username);
    // The role was deleted between the check above and the insert.
    if (isForeignKeyViolation(error)) throw unknownRole();
    throw error;
  }
  return getUserDto(db, id);
}
