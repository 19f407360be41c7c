import { SERVER_COMMAND_ACTOR } from "@keyward/contracts/audit";
import type { DB } from "@keyward/db/kysely";
import { hashPassword } from "../../auth/password.ts";
import { forgetSignInFailures, usernameKey } from "../../auth/sign-in-limiter.ts";
import { randomBase62 } from "../../lib/ids.ts";
import { requestIdGenerator } from "../../lib/request-id.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { NotFoundError } from "../errors.ts";
import { endSessionsOf } from "../sessions/session-rows.ts";

export interface OfflinePasswordReset {
  username: string;
  /** Generated here and returned once, for the caller to print; only its hash is stored. */
  password: string;
  sessionsEnded: number;
  /** The account is disabled: the new password does not sign in until someone enables it. */
  disabled: boolean;
}

/**
 * Gives a user a new generated password from the server's own machine (`pnpm reset-password`),
 * for when nobody can sign in to do it through the app: the only Owner lost the password printed
 * at first start. Ends the user's sessions, lifts the username's sign-in backoff, and writes an
 * audit row, all in one transaction. Whoever can run this already holds the database.
 */
export async function resetPasswordOffline(
  db: DB,
  username: string,
): Promise<OfflinePasswordReset> {
  const password = randomBase62(20);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "username", "status"])
      .where((eb) => eb(eb.fn("lower", ["username"]), "=", username.toLowerCase()))
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw new NotFoundError("user_not_found", `No user is named ${username}.`);
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where("id", "=", user.id)
      .execute();
    const sessionsEnded = await endSessionsOf(trx, user.id);
    await forgetSignInFailures(trx, [usernameKey(user.username)]);
    // No request: the row says where it came from instead of an address and a browser.
    const meta = {
      requestId: requestIdGenerator()(),
      ip: "localhost",
      userAgent: "pnpm reset-password",
    };
    await recordAudit(
      trx,
      { principal: null, meta },
      {
        action: "user.password_reset",
        actorId: null,
        actorName: SERVER_COMMAND_ACTOR,
        targetType: "user",
        targetId: user.id,
        targetName: user.username,
        details: { sessionsEnded, from: "server command line" },
      },
    );
    return { username: user.username, password, sessionsEnded, disabled: user.status !== "active" };
  });
}
