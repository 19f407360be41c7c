// Guesses sent at once must not outrun the sign-in limit. The limit used to be read before the
// ~50 ms password check and the failure written after it, so every guess in a burst read the same
// count: 40 parallel wrong passwords were all checked, none refused. The limit is 5 free failures
// (src/deps.ts); the clock is frozen so that no backoff wait runs out during a burst.
import { DEVICE_COOKIE } from "@keyward/contracts/auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, errorCode, readSetCookies, type TestApp } from "./harness.ts";

const FREE_FAILURES = 5;
const BURST = 30;

let t: TestApp;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
  vi.useRealTimers();
});

const login = (username: string, password: string, ip: string, cookie?: string) =>
  t.request("/api/v1/auth/login", {
    method: "POST",
    body: { username, password },
    headers: { "x-forwarded-for": ip, ...(cookie ? { cookie } : {}) },
  });

async function statuses(responses: Response[]): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (const res of responses) {
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    if (res.status === 429) {
      expect(await errorCode(res)).toBe("rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
  }
  return counts;
}

const failuresOf = (key: string) =>
  t.db.db
    .selectFrom("sign_in_failures")
    .select("failures")
    .where("key", "=", key)
    .executeTakeFirst();

const auditCount = (userId: string, action: string) =>
  t.db.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("target_id", "=", userId)
    .where("action", "=", action)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

describe("guesses between one's own sign-ins", () => {
  it("a success takes back only its own attempt from the address's count", async () => {
    const sprayer = await t.createUser("member");
    const ip = "10.95.0.1";
    // Four guesses at other accounts, then a correct sign-in to one's own: the address keeps four.
    for (let i = 0; i < FREE_FAILURES - 1; i++)
      expect((await login(`victim-${i}`, "guess", ip)).status).toBe(401);
    expect((await login(sprayer.username, sprayer.password, ip)).status).toBe(200);
    expect(await failuresOf(`ip:${ip}`)).toEqual({ failures: FREE_FAILURES - 1 });
    // So the next round is slowed after one more guess, as without the sign-in between.
    expect((await login("victim-x", "guess", ip)).status).toBe(401);
    expect((await login("victim-y", "guess", ip)).status).toBe(429);
    // The account's own count is forgiven.
    expect(await failuresOf(`user:${sprayer.username.toLowerCase()}`)).toBeUndefined();
  });
});

describe("parallel wrong guesses", () => {
  it("sign-in from one address: only the free failures are checked, the rest answer 429", async () => {
    const user = await t.createUser("member");
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) => login(user.username, `wrong-${i}`, "10.90.0.1")),
    );
    expect(await statuses(burst)).toEqual({ 401: FREE_FAILURES, 429: BURST - FREE_FAILURES });
    expect(await failuresOf("ip:10.90.0.1")).toEqual({ failures: FREE_FAILURES });
    expect(await auditCount(user.id, "auth.login_failed")).toBe(FREE_FAILURES);
    expect((await login(user.username, user.password, "10.90.0.1")).status).toBe(429);
  });

  it("sign-in from many addresses: the username's budget holds", async () => {
    const user = await t.createUser("member");
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) => login(user.username, `wrong-${i}`, `10.91.0.${i}`)),
    );
    expect(await statuses(burst)).toEqual({ 401: FREE_FAILURES, 429: BURST - FREE_FAILURES });
    expect(await failuresOf(`user:${user.username.toLowerCase()}`)).toEqual({
      failures: FREE_FAILURES,
    });
  });

  it("sign-in from a browser with the user's device cookie: the cookie's budget holds", async () => {
    const user = await t.createUser("member");
    const signedIn = await login(user.username, user.password, "10.92.0.1");
    expect(signedIn.status).toBe(200);
    const cookie = `${DEVICE_COOKIE}=${readSetCookies(signedIn)[DEVICE_COOKIE]}`;
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        login(user.username, `wrong-${i}`, `10.92.1.${i}`, cookie),
      ),
    );
    expect(await statuses(burst)).toEqual({ 401: FREE_FAILURES, 429: BURST - FREE_FAILURES });
    // The guesses counted against the cookie alone, not the username (docs/decisions/0015).
    expect(await failuresOf(`user:${user.username.toLowerCase()}`)).toBeUndefined();
  });

  it("POST /me/password: only the free failures are checked, the rest answer 429", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        t.request("/api/v1/me/password", {
          method: "POST",
          as: caller,
          body: { currentPassword: `wrong-${i}`, newPassword: "a brand new passphrase of mine" },
        }),
      ),
    );
    expect(await statuses(burst)).toEqual({ 400: FREE_FAILURES, 429: BURST - FREE_FAILURES });
    expect(await auditCount(user.id, "user.password_change_failed")).toBe(FREE_FAILURES);
  });
});
