import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attemptSignIn,
  type Caller,
  createTestApp,
  errorCode,
  TEST_PASSWORD,
  type TestApp,
} from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NEW_PASSWORD = "a brand new passphrase of mine";

const change = (as: Caller | { token: string }, body: unknown) =>
  t.request("/api/v1/me/password", { method: "POST", as, body });

const signIn = (username: string, password: string) => attemptSignIn(t, username, password);

const auditFor = (userId: string, action: string) =>
  t.db.db
    .selectFrom("audit_events")
    .selectAll()
    .where("target_id", "=", userId)
    .where("action", "=", action)
    .execute();

describe("POST /api/v1/me/password", () => {
  it("changes the caller's password, keeps this session, signs out the others and audits it", async () => {
    const user = await t.createUser("guest");
    const here = await t.login(user);
    const elsewhere = await t.login(user);
    const res = await change(here, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ otherSessionsEnded: 1 });

    expect((await t.request("/api/v1/me", { as: here })).status).toBe(200);
    expect((await t.request("/api/v1/me", { as: elsewhere })).status).toBe(401);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(user.username, NEW_PASSWORD)).status).toBe(200);
    const [row] = await auditFor(user.id, "user.password_changed");
    expect(row).toMatchObject({ actor_id: user.id, details: { otherSessionsEnded: 1 } });
  });

  it("refuses a wrong current password, changes nothing, and slows repeated guesses", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const wrong = await change(caller, { currentPassword: "not it", newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe("wrong_password");
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(200);
    expect(await auditFor(user.id, "user.password_change_failed")).toHaveLength(1);

    // Five failures on the username (the sign-in above reset the count), then a wait.
    for (let i = 0; i < 5; i++)
      await change(caller, { currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD });
    const limited = await change(caller, {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await signIn(user.username, NEW_PASSWORD)).status).not.toBe(200);
  });

  it("does not count a weak new password with the right current one as a wrong guess", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    for (let i = 0; i < 6; i++) {
      const weak = await change(caller, {
        currentPassword: TEST_PASSWORD,
        newPassword: `short${i}`,
      });
      expect(await errorCode(weak)).toBe("validation_failed");
    }
    const res = await change(caller, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
  });

  it("refuses a weak new password and bad input with 400, changing nothing", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const weak = await change(caller, { currentPassword: TEST_PASSWORD, newPassword: "short" });
    expect(weak.status).toBe(400);
    expect(await errorCode(weak)).toBe("validation_failed");
    const missing = await change(caller, { newPassword: NEW_PASSWORD });
    expect(missing.status).toBe(400);
    expect(await auditFor(user.id, "user.password_changed")).toHaveLength(0);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(200);
  });

  it("answers 401 without a caller and 403 to API tokens and command-line sessions", async () => {
    const anonymous = await t.request("/api/v1/me/password", {
      method: "POST",
      body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(anonymous.status).toBe(401);

    const user = await t.createUser("admin");
    const caller = await t.login(user);
    const { secret } = await t.createToken(caller, { name: "password-changer" });
    const byToken = await change(
      { token: secret },
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    );
    expect(byToken.status).toBe(403);
    expect(await errorCode(byToken)).toBe("browser_session_required");

    const cli = await t.request("/api/v1/auth/cli-token", { method: "POST", as: caller });
    const { token } = (await cli.json()) as { token: string };
    const byCli = await change(
      { token },
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    );
    expect(byCli.status).toBe(403);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(200);
  });
});
