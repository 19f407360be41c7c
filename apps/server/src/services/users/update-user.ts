import { builtInRoles } from "@keyward/contracts/permissions";
import type { UpdateUserInput, UserDto } from "@keyward/contracts/users";
import type { Transaction } from "@keyward/db/kysely";
import type { Database, UserUpdate } from "@keyward/db/types";
import type { InvalidationEvent } from "../../auth/invalidation.ts";
import { hashPassword } from "../../auth/password.ts";
import type { ServiceContext } from "../../context.ts";
import { assertVisible, requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ConflictError, ForbiddenError } from "../errors.ts";
import { endSessionsOf } from "../sessions/session-rows.ts";
import { loadAssignableRole } from "./assignable-role.ts";
import { assertStrongPassword } from "./password-policy.ts";
import { getUserDto, loadUserToManage } from "./user-rows.ts";

const OWNER = builtInRoles.owner.id;

/**
 * Locks every active Owner row, in id order, before anything else is locked. Two owners demoting
 * or disabling each other at the same moment then queue here instead of both seeing "another
 * owner remains", and the fixed order means they cannot deadlock.
 */
async function lockActiveOwners(trx: Transaction<Database>): Promise<string[]> {
  const rows = await trx
    .selectFrom("users")
    .select("id")
    .where("role_id", "=", OWNER)
    .where("status", "=", "active")
    .orderBy("id")
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Edits a user (`users.manage`): display name, email, role, status, or a new password. Rules:
 * nobody changes their own role, disables themselves or resets their own password; nobody leaves the deployment without an
 * active Owner; disabling ends the user's sessions in the same transaction (their API tokens are
 * refused from then on because verification checks the owner's status); a password reset ends
 * the user's sessions except the one making the request. Usernames do not change: API tokens and
 * the audit log carry them.
 */
export async function updateUser(
  ctx: ServiceContext,
  userId: string,
  input: UpdateUserInput,
): Promise<UserDto> {
  const caller = requireAccess(ctx, "user:update", "users.manage");
  assertVisible(caller, "user", userId, "user_not_found");
  const self = userId === caller.user.id;
  if (self && input.roleId !== undefined && input.roleId !== caller.role.id) {
    throw new ForbiddenError(
      "You cannot change your own role. Ask another administrator.",
      "cannot_change_own_role",
    );
  }
  if (self && input.status === "disabled") {
    throw new ForbiddenError("You cannot disable your own account.", "cannot_disable_self");
  }
  // One's own password changes only with the current one (POST /me/password): otherwise an API
  // token or a browser left signed in could set a new one and take the account over.
  if (self && input.password !== undefined) {
    throw new ForbiddenError(
      "Change your own password under Profile, with your current one.",
      "cannot_reset_own_password",
    );
  }
  const db = ctx.deps.db.db;

  let passwordHash: string | undefined;
  if (input.password !== undefined) {
    // Checked against the stored username, and hashed outside the transaction (it is slow).
    const target = await loadUserToManage(db, caller, userId);
    assertStrongPassword(input.password, target.username);
    passwordHash = await hashPassword(input.password);
  }

  const outcome = await db.transaction().execute(async (trx) => {
    const mayLeaveOwners = input.status === "disabled" || input.roleId !== undefined;
    const activeOwners = mayLeaveOwners ? await lockActiveOwners(trx) : [];
    const user = await loadUserToManage(trx, caller, userId, { lock: true });
    const newRole =
      input.roleId !== undefined && input.roleId !== user.role_id
        ? await loadAssignableRole(trx, caller, input.roleId)
        : undefined;
    const disabling = input.status === "disabled" && user.status === "active";
    const enabling = input.status === "active" && user.status === "disabled";

    const wasActiveOwner = user.status === "active" && user.role_id === OWNER;
    const leavesOwners =
      wasActiveOwner && (disabling || (newRole !== undefined && newRole.id !== OWNER));
    if (leavesOwners && activeOwners.every((id) => id === user.id)) {
      throw new ConflictError(
        "last_owner",
        `${user.username} is the last active Owner. Make someone else an Owner first.`,
      );
    }

    const changes: UserUpdate = {};
    const changedFields: string[] = [];
    if (input.displayName !== undefined) {
      changes.display_name = input.displayName;
      changedFields.push("displayName");
    }
    if (input.email !== undefined) {
      changes.email = input.email;
      changedFields.push("email");
    }
    if (newRole) changes.role_id = newRole.id;
    if (disabling) changes.status = "disabled";
    if (enabling) changes.status = "active";
    if (passwordHash !== undefined) changes.password_hash = passwordHash;
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable("users")
        .set({ ...changes, updated_at: new Date() })
        .where("id", "=", user.id)
        .execute();
    }

    const audit = (action: string, details: Record<string, unknown>) =>
      recordAudit(trx, ctx, {
        action,
        targetType: "user",
        targetId: user.id,
        targetName: user.username,
        details,
      });
    if (changedFields.length > 0) await audit("user.updated", { changed: changedFields });
    if (newRole) {
      await audit("user.role_changed", {
        from: { id: user.role_id, name: user.role_name },
        to: { id: newRole.id, name: newRole.name },
      });
    }
    if (disabling) {
      await audit("user.disabled", { sessionsEnded: await endSessionsOf(trx, user.id) });
    }
    if (enabling) await audit("user.enabled", {});
    if (passwordHash !== undefined) {
      const sessionsEnded = await endSessionsOf(trx, user.id, caller.session?.id);
      await audit("user.password_reset", { sessionsEnded });
    }
    // Cached token answers carry the owner's status and role: drop them everywhere, on commit.
    const invalidate: InvalidationEvent | undefined =
      disabling || enabling || newRole ? { kind: "user", userId: user.id } : undefined;
    if (invalidate) await ctx.deps.invalidation.publish(trx, invalidate);
    return { invalidate };
  });

  if (outcome.invalidate) ctx.deps.invalidation.apply(outcome.invalidate);
  return getUserDto(db, userId);
}
