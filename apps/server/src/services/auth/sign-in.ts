import type { LoginInput } from "@keyward/contracts/auth";
import { burnPasswordCheck, verifyPassword } from "../../auth/password.ts";
import { createSession, type NewSession } from "../../auth/sessions.ts";
import { usernameKey } from "../../auth/sign-in-limiter.ts";
import { newDeviceCookie, trustedDeviceFor } from "../../auth/trusted-devices.ts";
import type { ServiceContext } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { RateLimitedError, UnauthenticatedError } from "../errors.ts";

const INVALID = "Incorrect username or password.";
/** The audit trail's actor for a failed sign-in whose username matches no account. */
export const UNKNOWN_USERNAME = "(unknown username)";

/**
 * Checks a username and password and opens a browser session. Every failure (unknown user, wrong
 * password, disabled user) answers the same 401 after the same amount of work, so the answer says
 * nothing about which part was wrong. Failures are slowed down per client address and per
 * username, or, from a browser that has signed in as that user before (its device cookie), per
 * that browser alone: others' failures on a username do not lock its owner out
 * (docs/decisions/0015). An attempt is counted as a failure before its password is checked, so
 * that parallel guesses cannot all pass the limit, and a success takes it back.
 */
export async function signIn(
  ctx: ServiceContext,
  input: LoginInput,
  deviceCookie?: string,
): Promise<{ session: NewSession; userId: string; deviceCookie: string }> {
  const { db, serverSecret } = ctx.deps;
  const limiter = ctx.deps.loginLimiter;
  const device = trustedDeviceFor(serverSecret, deviceCookie, input.username);
  const ipKey = `ip:${ctx.meta.ip}`;
  const limiterKeys = device ? [`device:${device}`] : [ipKey, usernameKey(input.username)];
  const waitMs = await limiter.reserveAttempt(limiterKeys);
  if (waitMs > 0)
    throw new RateLimitedError(
      waitMs / 1000,
      "Too many failed sign-in attempts. Wait a moment and try again.",
    );

  const user = await db.db
    .selectFrom("users")
    .select(["id", "username", "password_hash", "status"])
    .where((eb) => eb(eb.fn("lower", ["username"]), "=", input.username.toLowerCase()))
    .executeTakeFirst();

  let ok = false;
  if (user) ok = await verifyPassword(input.password, user.password_hash);
  else await burnPasswordCheck(input.password);

  if (!user || !ok || user.status !== "active") {
    await recordAudit(db.db, ctx, {
      action: "auth.login_failed",
      actorId: null,
      // A name that matches no account is not recorded: it is often a password typed into the
      // username box. The client address is (with the audit row's request metadata).
      actorName: user ? user.username : UNKNOWN_USERNAME,
      targetType: user ? "user" : undefined,
      targetId: user?.id,
      details: {
        reason: !user ? "unknown_user" : !ok ? "wrong_password" : "user_disabled",
        // From a browser where this user has signed in before: more likely a mistyped password
        // than a stranger guessing, which is what an administrator reading the log asks.
        ...(device ? { knownBrowser: true } : {}),
      },
    });
    throw new UnauthenticatedError("invalid_credentials", INVALID);
  }

  // The account's own counts (username, or this browser's) are forgiven; the address only gets
  // this attempt back.
  if (device) await limiter.reset(limiterKeys);
  else await Promise.all([limiter.reset([usernameKey(input.username)]), limiter.release([ipKey])]);
  const { sessionDurationMs } = await ctx.deps.policy.get();
  const session = await db.db.transaction().execute(async (trx) => {
    const created = await createSession(trx, {
      userId: user.id,
      kind: "browser",
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      durationMs: sessionDurationMs,
    });
    await trx
      .updateTable("users")
      .set({ last_login_at: new Date() })
      .where("id", "=", user.id)
      .execute();
    await recordAudit(trx, ctx, {
      action: "auth.login",
      actorId: user.id,
      actorName: user.username,
      targetType: "session",
      targetId: created.id,
    });
    return created;
  });
  return { session, userId: user.id, deviceCookie: newDeviceCookie(serverSecret, user.username) };
}
