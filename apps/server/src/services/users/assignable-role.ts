import type { DB } from "@keyward/db/kysely";
import type { Principal } from "../../auth/principal.ts";
import { toPermissions } from "../../auth/sessions.ts";
import { assertWithinCaller } from "../admin-access.ts";
import { ValidationError } from "../errors.ts";

/**
 * The role named in a create or edit form, if it exists and the caller may hand it out. An
 * unknown role is a problem with the `roleId` field (400 `role_not_found`), not a missing page.
 */
export async function loadAssignableRole(db: DB, caller: Principal, roleId: string) {
  const role = await db
    .selectFrom("roles")
    .select(["id", "name", "permissions"])
    .where("id", "=", roleId)
    .executeTakeFirst();
  if (!role) throw unknownRole();
  assertWithinCaller(caller, toPermissions(role.permissions), `The role ${role.name}`);
  return role;
}

export function unknownRole(): ValidationError {
  return new ValidationError(
    "No such role.",
    [{ path: ["roleId"], message: "No such role", code: "role_not_found" }],
    "role_not_found",
  );
}
