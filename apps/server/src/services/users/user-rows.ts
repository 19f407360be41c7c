import type { UserDto } from "@keyward/contracts/users";
import type { DB } from "@keyward/db/kysely";
import type { UserStatus } from "@keyward/db/types";
import type { Principal } from "../../auth/principal.ts";
import { toPermissions } from "../../auth/sessions.ts";
import { assertWithinCaller } from "../admin-access.ts";
import { NotFoundError } from "../errors.ts";

/** Users joined with their role, selecting only what a DTO may carry (never the password hash). */
export function selectUsers(db: DB) {
  return db
    .selectFrom("users as u")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select([
      "u.id",
      "u.username",
      "u.display_name",
      "u.email",
      "u.status",
      "u.created_at",
      "u.updated_at",
      "u.last_login_at",
      "r.id as role_id",
      "r.name as role_name",
    ]);
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  status: UserStatus;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  role_id: string;
  role_name: string;
}

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    status: row.status,
    role: { id: row.role_id, name: row.role_name },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

export async function getUserDto(db: DB, userId: string): Promise<UserDto> {
  const row = await selectUsers(db).where("u.id", "=", userId).executeTakeFirst();
  if (!row) throw new NotFoundError("user_not_found", "No such user.");
  return toUserDto(row);
}

/**
 * Loads a user the caller is about to change, optionally locking the row, and checks that the
 * user's role grants nothing beyond the caller's own (an Admin cannot reset an Owner's password).
 */
export async function loadUserToManage(
  db: DB,
  caller: Principal,
  userId: string,
  options: { lock?: boolean } = {},
) {
  let query = db
    .selectFrom("users as u")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select(["u.id", "u.username", "u.status", "u.role_id", "r.name as role_name", "r.permissions"])
    .where("u.id", "=", userId);
  if (options.lock) query = query.forUpdate("u");
  const user = await query.executeTakeFirst();
  if (!user) throw new NotFoundError("user_not_found", "No such user.");
  if (user.id !== caller.user.id) {
    assertWithinCaller(
      caller,
      toPermissions(user.permissions),
      `${user.username}'s role (${user.role_name})`,
    );
  }
  return user;
}
