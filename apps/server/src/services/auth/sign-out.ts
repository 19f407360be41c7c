import { deleteSession } from "../../auth/sessions.ts";
import type { ServiceContext } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";

/** Ends the caller's current session. Signing out without a session is not an error. */
export async function signOut(ctx: ServiceContext): Promise<void> {
  const session = ctx.principal?.session;
  if (!session) return;
  await ctx.deps.db.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.id);
    await recordAudit(trx, ctx, {
      action: "auth.logout",
      targetType: "session",
      targetId: session.id,
    });
  });
}
