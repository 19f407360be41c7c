import type { ChangedOwnPassword, ChangeOwnPasswordInput } from "@keyward/contracts/users";
import { requireCaller } from "../../auth/authorize.ts";
import { hashPassword, verifyPassword } from "../../auth/password.ts";
import { usernameKey } from "../../auth/sign-in-limiter.ts";
import type { ServiceContext } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ForbiddenError, RateLimitedError, ValidationError } from "../errors.ts";
import { endSessionsOf } from "../sessions/session-rows.ts";
import { assertStrongPassword } from "./password-policy.ts";

/**
 * A signed-in user changes their own password (every role: it is their own credential). Only from
 * a browser session, and only with the current password, so neither an API token nor a session
 * left open on someone's desk can take the account over. A wrong current password counts against
 * the username like a failed sign-in (counted before the check, as there), and is audited. The
 * change signs out the user's other sessions, keeps this one, and is audited in the same
 * transaction.
 */
export async function changeOwnPassword(
  ctx: ServiceContext,
  input: ChangeOwnPasswordInput,
): Promise<ChangedOwnPassword> {
  const caller = requireCaller(ctx);
  const session = caller.authMethod === "session" ? caller.session : undefined;
  if (session?.kind !== "browser") {
    throw new ForbiddenError(
      "Change your password from a signed-in browser session.",
      "browser_session_required",
    );
  }
  const { db } = ctx.deps.db;
  const limiter = ctx.deps.loginLimiter;
  const limiterKeys = [usernameKey(caller.user.username)];
  const waitMs = await limiter.reserveAttempt(limiterKeys);
  if (waitMs > 0)
    throw new RateLimitedError(
      waitMs / 1000,
      "Too many wrong passwords. Wait a moment and try again.",
    );

  const user = await db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", caller.user.id)
    .executeTakeFirstOrThrow();
  const target = { targetType: "user", targetId: caller.user.id, targetName: caller.user.username };
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    await recordAudit(db, ctx, {
      action: "user.password_change_failed",
      ...target,
      details: { reason: "wrong_password" },
    });
    throw new ValidationError(
      "That is not your current password. Nothing was changed.",
      [{ path: ["currentPassword"], message: "Not your current password" }],
      "wrong_password",
    );
  }
  // The attempt was counted as a failure before the check; the right password takes it back, and,
  // as a sign-in would, the username's other failures. Here, not after the change: a weak new
  // password is no wrong guess.
  await limiter.reset(limiterKeys);
  assertStrongPassword(input.newPassword, caller.user.username);
  const passwordHash = await hashPassword(input.newPassword);

  const otherSessionsEnded = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where("id", "=", caller.user.id)
      .execute();
    const count = await endSessionsOf(trx, caller.user.id, session.id);
    await recordAudit(trx, ctx, {
      action: "user.password_changed",
      ...target,
      details: { otherSessionsEnded: count },
    });
    return count;
  });
  return { otherSessionsEnded };
}
