import { CLI_TOKEN_PREFIX, type CliToken } from "@keyward/contracts/sessions";
import { requireCaller } from "../../auth/authorize.ts";
import { cliSessionDurationMs } from "../../auth/cli-sessions.ts";
import { createSession } from "../../auth/sessions.ts";
import type { ServiceContext } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ForbiddenError } from "../errors.ts";

/**
 * Issues a command-line session token for the caller: a `cli` session that is listed among their
 * sessions and can be ended like any other. Only a browser session may ask, so a leaked command
 * line token cannot mint fresh ones and live forever. The token is returned this once; only its
 * hash is stored, and the audit row names the session, never the token.
 */
export async function createCliSession(ctx: ServiceContext): Promise<CliToken> {
  const caller = requireCaller(ctx);
  if (caller.authMethod !== "session" || caller.session?.kind !== "browser") {
    throw new ForbiddenError("Command-line tokens are issued from a signed-in browser session.");
  }
  const durationMs = cliSessionDurationMs(await ctx.deps.policy.get());
  const created = await ctx.deps.db.db.transaction().execute(async (trx) => {
    const session = await createSession(trx, {
      userId: caller.user.id,
      kind: "cli",
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      durationMs,
    });
    await recordAudit(trx, ctx, {
      action: "session.cli_token_issued",
      targetType: "session",
      targetId: session.id,
      details: { expiresAt: session.expiresAt.toISOString() },
    });
    return session;
  });
  return {
    token: `${CLI_TOKEN_PREFIX}${created.secret}`,
    sessionId: created.id,
    expiresAt: created.expiresAt.toISOString(),
  };
}
