import type { SessionInfo } from "@keyward/contracts/sessions";
import { allowedIdsOf } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { requireAccess } from "../admin-access.ts";
import { activeSessionsOf } from "./session-rows.ts";

/** The caller's own active sessions; anyone signed in may see theirs. */
export async function listOwnSessions(ctx: ServiceContext): Promise<SessionInfo[]> {
  const caller = requireAccess(ctx, "session:read");
  const visible = allowedIdsOf(caller, "session");
  const sessions = await activeSessionsOf(ctx.deps.db.db, caller.user.id, caller.session?.id);
  return visible === "all" ? sessions : sessions.filter((s) => visible.includes(s.id));
}
