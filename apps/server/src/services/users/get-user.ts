import type { UserDetail } from "@keyward/contracts/users";
import type { ServiceContext } from "../../context.ts";
import { assertVisible, requireAccess } from "../admin-access.ts";
import { activeSessionsOf } from "../sessions/session-rows.ts";
import { getUserDto } from "./user-rows.ts";

/** One user with their active sessions, for `users.manage`. */
export async function getUser(ctx: ServiceContext, userId: string): Promise<UserDetail> {
  const caller = requireAccess(ctx, "user:read", "users.manage");
  assertVisible(caller, "user", userId, "user_not_found");
  const db = ctx.deps.db.db;
  const user = await getUserDto(db, userId);
  const sessions = await activeSessionsOf(db, user.id, caller.session?.id);
  return { ...user, sessions };
}
