import { builtInRoles } from "@keyward/contracts/permissions";
import type { RoleDto } from "@keyward/contracts/roles";
import { type DB, sql } from "@keyward/db/kysely";
import { toPermissions } from "../../auth/sessions.ts";
import { ConflictError, NotFoundError } from "../errors.ts";

export const OWNER_ROLE_ID = builtInRoles.owner.id;

// Built-in roles list first, in the order of their reach; custom roles follow by name.
const builtInOrder: string[] = Object.values(builtInRoles).map((r) => r.id);

/** Roles with how many users hold each. */
export function selectRoles(db: DB) {
  return db
    .selectFrom("roles as r")
    .select([
      "r.id",
      "r.name",
      "r.description",
      "r.permissions",
      "r.builtin",
      "r.created_at",
      "r.updated_at",
      sql<string>`(select count(*) from users u where u.role_id = r.id)`.as("user_count"),
    ]);
}

type RoleRow = Awaited<ReturnType<ReturnType<typeof selectRoles>["executeTakeFirstOrThrow"]>>;

export function toRoleDto(row: RoleRow): RoleDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: toPermissions(row.permissions),
    builtin: row.builtin,
    fixed: row.id === OWNER_ROLE_ID,
    userCount: Number(row.user_count),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function compareRoles(a: RoleDto, b: RoleDto): number {
  const rank = (r: RoleDto) => (r.builtin ? builtInOrder.indexOf(r.id) : builtInOrder.length);
  return rank(a) - rank(b) || a.name.localeCompare(b.name, "en", { sensitivity: "base" });
}

export async function getRoleDto(db: DB, roleId: string): Promise<RoleDto> {
  const row = await selectRoles(db).where("r.id", "=", roleId).executeTakeFirst();
  if (!row) throw new NotFoundError("role_not_found", "No such role.");
  return toRoleDto(row);
}

/** Role names are unique ignoring case (the roles_name_lower_key index). */
export function roleNameTaken(name: string): ConflictError {
  return new ConflictError("role_name_taken", `A role named ${name} already exists.`, [
    { path: ["name"], message: "Already taken", code: "role_name_taken" },
  ]);
}
