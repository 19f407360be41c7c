import type { ServiceContext } from "../../context.ts";
import { assertVisible, requireAccess } from "../admin-access.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { NotFoundError } from "../errors.ts";

/**
 * Ends one of the caller's own sessions. Someone else's session answers 404 exactly like one that
 * does not exist, so session ids cannot be probed. Returns whether it was the current session,
 * so the route can clear the cookies too.
 */
export async function endOwnSession(
  ctx: ServiceContext,
  sessionId: string,
): Promise<{ current: boolean }> {
  const caller = requireAccess(ctx, "session:delete");
  assertVisible(caller, "session", sessionId, "session_not_found");
  return ctx.deps.db.db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom("sessions")
      .where("id", "=", sessionId)
      .where("user_id", "=", caller.user.id)
      .returning(["id", "kind"])
      .executeTakeFirst();
    if (!ended) throw new NotFoundError("session_not_found", "No such session.");
    await recordAudit(trx, ctx, {
      action: "session.ended",
      targetType: "session",
      targetId: ended.id,
      details: { kind: ended.kind, userId: caller.user.id },
    });
    return { current: ended.id === caller.session?.id };
  });
}
