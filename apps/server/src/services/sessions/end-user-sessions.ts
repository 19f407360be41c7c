import type { ServiceContext } from "../../context.ts";
import { assertVisible, requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { NotFoundError } from "../errors.ts";
import { loadUserToManage } from "../users/user-rows.ts";

export interface EndUserSessionsResult {
  ended: number;
  /** The caller ended the session this request came in on. */
  endedCurrent: boolean;
}

/**
 * An administrator (`users.manage`) signs a user out: every session, or the one named. Their API
 * tokens are untouched; disabling the user is what stops those.
 */
export async function endUserSessions(
  ctx: ServiceContext,
  userId: string,
  sessionId?: string,
): Promise<EndUserSessionsResult> {
  const caller = requireAccess(ctx, "user:update", "users.manage");
  assertVisible(caller, "user", userId, "user_not_found");
  return ctx.deps.db.db.transaction().execute(async (trx) => {
    const user = await loadUserToManage(trx, caller, userId);
    let query = trx.deleteFrom("sessions").where("user_id", "=", user.id);
    if (sessionId !== undefined) query = query.where("id", "=", sessionId);
    const ended = await query.returning("id").execute();
    if (sessionId !== undefined && ended.length === 0) {
      throw new NotFoundError("session_not_found", "No such session.");
    }
    const targets =
      sessionId !== undefined
        ? { targetType: "session", targetId: sessionId, details: { userId: user.id } }
        : {
            targetType: "user",
            targetId: user.id,
            targetName: user.username,
            details: { ended: ended.length },
          };
    await recordAudit(trx, ctx, {
      action: sessionId !== undefined ? "session.ended" : "user.sessions_ended",
      ...targets,
    });
    return {
      ended: ended.length,
      endedCurrent: ended.some((s) => s.id === caller.session?.id),
    };
  });
}
