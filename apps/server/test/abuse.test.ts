// Abuse (issue #7, part 5): failed sign-ins and bad tokens from one address are slowed with 429
// and Retry-After, by the numbers the server is configured with; an unknown token id costs the
// same work as a known one with a wrong secret; CSRF is refused on every cookie-authenticated
// write; every write route enforces the body limit; cookies carry their flags; every page and
// every kind of API answer carries the security headers.
//
// The limits, as configured in src/deps.ts and asserted here:
// - sign-in: 5 free failures per client address and per username within 15 minutes, then each
//   attempt waits 1 s, 2 s, 4 s … capped at 15 minutes; a success resets both counters. The
//   counts live in the database, so every server process enforces the same limit. A browser
//   with a device cookie from signing in as that user counts against its own budget instead;
// - session cookies: one the server did not set is refused before any database work;
// - API tokens (Bearer and POST /tokens/verify share one counter per address): 20 free unknown
//   or malformed tokens within 10 minutes, then 1 s, 2 s, 4 s … capped at 60 s. The wait guards
//   the database: an address over budget gets 429 only when its token needs a database read;
//   a malformed token is still a plain 401 (and still counts), a cached good token works at once;
// - request bodies: 1 MiB (MAX_BODY_BYTES), with or without a Content-Length.
import * as crypto from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CSRF_COOKIE, DEVICE_COOKIE, SESSION_COOKIE } from "@keyward/contracts/auth";
import { errorEnvelopeSchema } from "@keyward/contracts/errors";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp, MAX_BODY_BYTES } from "../src/app.ts";
import { base62Checksum } from "../src/lib/token-secret.ts";
import { auditActionsSince, fingerprint } from "./db-fingerprint.ts";
import { type Caller, createTestApp, errorCode, readSetCookies, type TestApp } from "./harness.ts";

// Pass-through spies: the server's own crypto runs unchanged, and the tests can count how often
// it computed a keyed hash, compared in constant time or ran scrypt.
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return {
    ...real,
    createHmac: vi.fn(real.createHmac),
    timingSafeEqual: vi.fn(real.timingSafeEqual),
    scrypt: vi.fn(real.scrypt),
  };
});
const spies = {
  createHmac: vi.mocked(crypto.createHmac),
  timingSafeEqual: vi.mocked(crypto.timingSafeEqual),
  scrypt: vi.mocked(crypto.scrypt),
};

const MINUTE = 60_000;

/** Answers one request, and how much work it cost: SQL statements and crypto calls. */
async function costOf(t: TestApp, send: () => Promise<Response>) {
  const queries = t.queryCount();
  for (const spy of Object.values(spies)) spy.mockClear();
  const res = await send();
  const body = await res.text();
  return {
    status: res.status,
    body,
    queries: t.queryCount() - queries,
    hmacs: spies.createHmac.mock.calls.length,
    compares: spies.timingSafeEqual.mock.calls.length,
    scrypts: spies.scrypt.mock.calls.length,
  };
}

function retryAfter(res: Response): number {
  return Number(res.headers.get("retry-after"));
}

describe("rate limits, by the configured numbers", () => {
  // The limiters read the clock they were built with, so Date is faked before the app is built
  // and the tests step through the backoff without waiting.
  let t: TestApp;
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    vi.useRealTimers();
  });

  const login = (username: string, password: string, ip: string) =>
    t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username, password },
      headers: { "x-forwarded-for": ip },
    });

  it("sign-in: 5 free failures per address, then 429 with Retry-After 1, 2, 4 … capped at 15 minutes; forgiven after 15 quiet minutes", async () => {
    const user = await t.createUser("member");
    const ip = "10.50.0.1";
    for (let i = 0; i < 5; i++)
      expect((await login(user.username, `wrong-${i}`, ip)).status).toBe(401);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      // Even the right password is refused while waiting.
      const limited = await login(user.username, user.password, ip);
      expect(limited.status).toBe(429);
      expect(await errorCode(limited)).toBe("rate_limited");
      seen.push(retryAfter(limited));
      vi.advanceTimersByTime(retryAfter(limited) * 1000);
      expect((await login(user.username, `wrong-again-${i}`, ip)).status).toBe(401);
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    vi.advanceTimersByTime(15 * MINUTE + 1000);
    expect((await login(user.username, user.password, ip)).status).toBe(200);
  });

  it("sign-in: one username guessed from many addresses is slowed too, and so is one address trying many usernames", async () => {
    const target = await t.createUser("member");
    for (let i = 0; i < 5; i++)
      expect((await login(target.username, "nope-nope-nope", `10.51.0.${i}`)).status).toBe(401);
    const distributed = await login(target.username, target.password, "10.51.1.1");
    expect(distributed.status).toBe(429);
    expect(retryAfter(distributed)).toBe(1);

    for (let i = 0; i < 5; i++)
      expect((await login(`nobody-${i}`, "nope-nope-nope", "10.52.0.1")).status).toBe(401);
    const other = await t.createUser("member");
    const sprayed = await login(other.username, other.password, "10.52.0.1");
    expect(sprayed.status).toBe(429);
    // The same user from another address is not affected.
    expect((await login(other.username, other.password, "10.52.0.2")).status).toBe(200);
  });

  it("sign-in: a success forgives the account's count; the address gets back only that attempt", async () => {
    const user = await t.createUser("member");
    const ip = "10.53.0.1";
    for (let i = 0; i < 4; i++)
      expect((await login(user.username, "nope-nope", ip)).status).toBe(401);
    expect((await login(user.username, user.password, ip)).status).toBe(200);
    // From another address the username has its full budget again…
    for (let i = 0; i < 5; i++)
      expect((await login(user.username, "nope-nope", "10.53.0.2")).status).toBe(401);
    expect((await login(user.username, user.password, "10.53.0.2")).status).toBe(429);
    // …while the first address still carries its four failures: one more, then the backoff.
    const other = await t.createUser("member");
    expect((await login(other.username, "nope-nope", ip)).status).toBe(401);
    expect((await login(other.username, other.password, ip)).status).toBe(429);
  });

  it("sign-in: behind one proxy, the address is the one it appended; entries the client wrote before it change nothing", async () => {
    const user = await t.createUser("member");
    for (let i = 0; i < 5; i++)
      expect((await login(`nobody-xff-${i}`, "nope-nope", `6.6.6.${i}, 10.59.0.1`)).status).toBe(
        401,
      );
    expect((await login(user.username, user.password, "7.7.7.7, 10.59.0.1")).status).toBe(429);
    // The audit log names the proxy's address for each, never the client's claims.
    const ips = await t.db.db
      .selectFrom("audit_events")
      .select("ip")
      .where("action", "=", "auth.login_failed")
      .where((eb) => eb.or([eb("ip", "=", "10.59.0.1"), eb("ip", "like", "6.6.6.%")]))
      .execute();
    expect(ips.map((row) => row.ip)).toEqual(Array(5).fill("10.59.0.1"));
  });

  it("sign-in: a client address of any length (X-Forwarded-For through a trusted proxy) is counted, never a 500", async () => {
    const user = await t.createUser("member");
    // Random text: a repeated character would compress small enough for an index entry.
    const longAddress = `10.58.0.1${crypto.randomBytes(4000).toString("hex")}`;
    for (let i = 0; i < 5; i++)
      expect((await login(`nobody-long-${i}`, "nope-nope", longAddress)).status).toBe(401);
    expect((await login(user.username, user.password, longAddress)).status).toBe(429);
  });

  const deviceCookieOf = (res: Response) => readSetCookies(res)[DEVICE_COOKIE] ?? "";
  const loginOnDevice = (username: string, password: string, ip: string, device: string) =>
    t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username, password },
      headers: { "x-forwarded-for": ip, cookie: `${DEVICE_COOKIE}=${device}` },
    });

  it("sign-in: others' failures on a username do not lock out a browser that signed in as that user before; its own failures are slowed", async () => {
    const owner = await t.createUser("member");
    const office = "10.55.0.1";
    const signedIn = await login(owner.username, owner.password, office);
    expect(signedIn.status).toBe(200);
    const device = deviceCookieOf(signedIn);
    // Someone in the same office who knows the username fails: the username and the office's
    // address both wait now, for anyone without the owner's device cookie.
    for (let i = 0; i < 5; i++)
      expect((await login(owner.username, "nope-nope", office)).status).toBe(401);
    expect((await login(owner.username, owner.password, "10.56.1.1")).status).toBe(429);
    expect((await login(owner.username, owner.password, office)).status).toBe(429);
    // The owner's browser is not held back, even from the address that failed.
    const trusted = await loginOnDevice(owner.username, owner.password, office, device);
    expect(trusted.status).toBe(200);
    // It counts its own failures: 5 free, then it waits like anyone.
    const renewed = deviceCookieOf(trusted);
    expect(renewed).not.toBe("");
    for (let i = 0; i < 5; i++)
      expect((await loginOnDevice(owner.username, "nope-nope", office, renewed)).status).toBe(401);
    const limited = await loginOnDevice(owner.username, owner.password, office, renewed);
    expect(limited.status).toBe(429);
    expect(retryAfter(limited)).toBe(1);
  });

  it("sign-in: a device cookie vouches only for the user who signed in with it (in any letter case), and a forged one for nobody", async () => {
    const target = await t.createUser("member");
    const mine = await t.createUser("member");
    const myDevice = deviceCookieOf(await login(mine.username, mine.password, "10.57.0.1"));
    for (const username of [target.username, mine.username])
      for (let i = 0; i < 5; i++)
        expect((await login(username, "nope-nope", `10.57.1.${i}`)).status).toBe(401);
    expect(
      (await loginOnDevice(target.username, target.password, "10.57.0.2", myDevice)).status,
    ).toBe(429);
    const [deviceId] = myDevice.split(".");
    for (const forged of [`${deviceId}.${"A".repeat(43)}`, deviceId ?? "", `${myDevice}x`, "."])
      expect((await loginOnDevice(mine.username, mine.password, "10.57.0.3", forged)).status).toBe(
        429,
      );
    const upper = await loginOnDevice(
      mine.username.toUpperCase(),
      mine.password,
      "10.57.0.4",
      myDevice,
    );
    expect(upper.status).toBe(200);
  });

  it("sign-in: a limited attempt costs one statement on the failure counts, writes nothing, and hashes no password", async () => {
    const user = await t.createUser("member");
    const ip = "10.54.0.1";
    for (let i = 0; i < 5; i++) await login(user.username, "nope-nope", ip);
    const counts = () =>
      t.db.db
        .selectFrom("sign_in_failures")
        .select(["key", "failures"])
        .where("key", "in", [`ip:${ip}`, `user:${user.username.toLowerCase()}`])
        .orderBy("key")
        .execute();
    const before = await counts();
    expect(before.map((row) => row.failures)).toEqual([5, 5]);
    const cost = await costOf(t, () => login(user.username, user.password, ip));
    expect(cost.status).toBe(429);
    expect(cost.queries).toBe(1);
    expect(cost.scrypts).toBe(0);
    expect(await counts()).toEqual(before);
  });

  const bearer = (token: string, ip: string) =>
    t.request("/api/v1/me", {
      headers: { authorization: `Bearer ${token}`, "x-forwarded-for": ip },
    });
  const verify = (token: string, ip: string) =>
    t.request("/api/v1/tokens/verify", {
      method: "POST",
      body: { token },
      headers: { "x-forwarded-for": ip },
    });
  const unknownToken = (n: number) => {
    const body = `kw_${String(n).padStart(16, "0")}_${"A".repeat(43)}`;
    return body + base62Checksum(body);
  };

  it("tokens: 20 free unknown or malformed tokens per address, then 429 with Retry-After 1, 2, 4 … capped at 60 s, on Bearer and verify alike; forgiven after 10 quiet minutes", async () => {
    const caller = await t.login(await t.createUser("member"));
    const { secret } = await t.createToken(caller);
    const ip = "10.60.0.1";
    for (let i = 0; i < 20; i++) {
      const res =
        i % 2
          ? await bearer(i % 4 === 1 ? "kw_bad" : unknownToken(i), ip)
          : await verify(unknownToken(i), ip);
      expect(res.status, `attempt ${i + 1}`).toBe(i % 2 ? 401 : 200);
    }
    const seen: number[] = [];
    for (let i = 0; i < 9; i++) {
      // A good token from a limited address waits too: the limit is on the address.
      const limited = i % 2 ? await bearer(secret, ip) : await verify(secret, ip);
      expect(limited.status).toBe(429);
      expect(await errorCode(limited)).toBe("rate_limited");
      seen.push(retryAfter(limited));
      vi.advanceTimersByTime(retryAfter(limited) * 1000);
      expect((await bearer("kw_bad", ip)).status).toBe(401);
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    vi.advanceTimersByTime(10 * MINUTE + 1000);
    expect((await bearer(secret, ip)).status).toBe(200);
  });

  it("tokens: over budget, only what needs a database read waits; a malformed token is a plain 401 that still counts, a cached token works at once", async () => {
    const caller = await t.login(await t.createUser("member"));
    const warm = (await t.createToken(caller)).secret;
    const cold = (await t.createToken(caller)).secret;
    expect((await bearer(warm, "10.64.0.9")).status).toBe(200);
    const ip = "10.64.0.1";
    for (let i = 0; i < 20; i++) await bearer(unknownToken(3000 + i), ip);
    expect((await bearer(unknownToken(4000), ip)).status).toBe(429);
    expect((await bearer(cold, ip)).status).toBe(429);
    expect((await verify(cold, ip)).status).toBe(429);
    expect((await bearer(warm, ip)).status).toBe(200);
    expect((await verify(warm, ip)).status).toBe(200);
    const malformed = await bearer("kw_bad", ip);
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get("www-authenticate")).toContain("invalid_token");
    // …and it counted: the wait after it is the next step of the backoff.
    expect(retryAfter(await bearer(unknownToken(4001), ip))).toBe(2);
  });

  it("tokens: a limited request costs no database work; other addresses are unaffected", async () => {
    const caller = await t.login(await t.createUser("member"));
    const { secret } = await t.createToken(caller);
    const ip = "10.61.0.1";
    for (let i = 0; i < 20; i++) await bearer(unknownToken(1000 + i), ip);
    const limited = await costOf(t, () => bearer(unknownToken(2000), ip));
    expect(limited.status).toBe(429);
    expect(limited.queries).toBe(0);
    expect((await bearer(secret, "10.61.0.2")).status).toBe(200);
  });

  it("tokens: a real token that is disabled or expired does not count as a guess", async () => {
    const caller = await t.login(await t.createUser("member"));
    const { secret, token } = await t.createToken(caller);
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "disabled" },
    });
    const ip = "10.62.0.1";
    for (let i = 0; i < 30; i++) expect((await bearer(secret, ip)).status).toBe(401);
    expect((await verify(secret, ip)).status).toBe(200);
  });

  it("tokens: unknown command-line session tokens (kws_…) count against the address too", async () => {
    const ip = "10.63.0.1";
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++)
      status = (await bearer(`kws_${"x".repeat(20)}${i}`, ip)).status;
    expect(status).toBe(429);
  });
});

describe("an unknown token costs the same work as a known one with a wrong secret", () => {
  // Not timed (speed is measured by benchmarks, not asserted): the work is counted instead.
  let t: TestApp;
  let caller: Caller;
  beforeAll(async () => {
    t = await createTestApp();
    caller = await t.login(await t.createUser("member"));
  });
  afterAll(() => t.close());

  /** The same token id with a different, well-formed secret part. */
  function wrongSecretFor(secret: string): string {
    const body = `${secret.slice(0, 20)}${"Z".repeat(43)}`;
    return body + base62Checksum(body);
  }
  function unknownIdLike(secret: string): string {
    const body = `kw_${"0".repeat(16)}${secret.slice(19, 63)}`;
    return body + base62Checksum(body);
  }

  for (const via of ["verify", "bearer"] as const) {
    const send = (token: string) => () =>
      via === "verify"
        ? t.request("/api/v1/tokens/verify", {
            method: "POST",
            body: { token },
            headers: { "x-forwarded-for": "10.70.0.1" },
          })
        : t.request("/api/v1/me", {
            headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "10.70.0.2" },
          });

    it(`${via}: one lookup, one keyed hash and one constant-time compare either way, and the same answer`, async () => {
      const { secret } = await t.createToken(caller);
      t.deps.tokenCache.invalidateAll();
      const unknown = await costOf(t, send(unknownIdLike(secret)));
      t.deps.tokenCache.invalidateAll();
      const wrong = await costOf(t, send(wrongSecretFor(secret)));

      expect(unknown.queries).toBe(1);
      expect(wrong.queries).toBe(unknown.queries);
      expect(unknown.hmacs).toBeGreaterThanOrEqual(1);
      expect(wrong.hmacs).toBe(unknown.hmacs);
      expect(unknown.compares).toBeGreaterThanOrEqual(1);
      expect(wrong.compares).toBe(unknown.compares);
      // Keyed with the server secret: the HMAC of the presented secret, not something cheaper.
      expect(spies.createHmac.mock.calls.at(-1)?.[1]).toEqual(t.deps.serverSecret);

      const strip = (body: string) => body.replace(/req_[0-9A-Za-z]+/g, "req_");
      expect(wrong.status).toBe(unknown.status);
      expect(strip(wrong.body)).toBe(strip(unknown.body));
    });
  }

  // A known token whose record is cached (used recently, or loaded by an earlier wrong-secret
  // probe) must not answer a wrong secret from memory: repeating a probe would tell, by the
  // missing round trip, whether the id exists.
  it("a known token's cached record answers a wrong secret only after the same lookup an unknown id costs", async () => {
    const { secret } = await t.createToken(caller);
    const send = (token: string) => () =>
      t.request("/api/v1/tokens/verify", { method: "POST", body: { token } });
    await costOf(t, send(secret));
    const wrong = await costOf(t, send(wrongSecretFor(secret)));
    const unknown = await costOf(t, send(unknownIdLike(secret)));
    expect(wrong.queries).toBe(unknown.queries);
  });

  it("sign-in: an unknown user, a wrong password and a disabled user each cost one scrypt", async () => {
    const user = await t.createUser("member");
    const disabled = await t.createUser("member", { status: "disabled" });
    const login = (username: string, password: string, n: number) => () =>
      t.request("/api/v1/auth/login", {
        method: "POST",
        body: { username, password },
        headers: { "x-forwarded-for": `10.71.0.${n}` },
      });
    // The unknown-user path hashes its comparison password once per process; warm it first.
    await login("nobody-warm", "whatever-password", 0)();
    const costs = [
      await costOf(t, login("nobody-at-all", "whatever-password", 1)),
      await costOf(t, login(user.username, "wrong-password!!", 2)),
      await costOf(t, login(disabled.username, disabled.password, 3)),
    ];
    expect(costs.map((c) => [c.status, c.scrypts])).toEqual([
      [401, 1],
      [401, 1],
      [401, 1],
    ]);
  });
});

describe("session cookies the server did not set", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("are refused with 401 and no database query: made up, a real secret without its MAC or with another MAC", async () => {
    const caller = await t.login(await t.createUser("member"));
    const session = caller.cookie.split(";")[0]?.slice(`${SESSION_COOKIE}=`.length) ?? "";
    const [secret] = session.split(".");
    const me = (cookie: string) => () =>
      t.request("/api/v1/me", { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    for (const cookie of [
      `${"A".repeat(43)}.${"B".repeat(43)}`,
      secret ?? "",
      `${secret}.${"B".repeat(43)}`,
      `${secret}.${session.split(".")[1]?.slice(1)}`,
    ]) {
      const cost = await costOf(t, me(cookie));
      expect(cost.status).toBe(401);
      expect(cost.queries).toBe(0);
      expect(await errorCode(new Response(cost.body))).toBe("unauthenticated");
    }
    const real = await costOf(t, me(session));
    expect(real.status).toBe(200);
    expect(real.queries).toBeGreaterThan(0);
  });
});

describe("CSRF, body limits and cookies on every write route", () => {
  let t: TestApp;
  let owner: Caller;
  let fixtures: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.login(await t.createUser("owner"));
    const member = await t.createUser("member");
    await t.login(member);
    const session = await t.db.db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", member.id)
      .executeTakeFirstOrThrow();
    const role = await t.request("/api/v1/roles", {
      method: "POST",
      as: owner,
      body: { name: "Abuse role", permissions: ["audit.read"] },
    });
    fixtures = {
      token: (await t.createToken(owner)).token.id,
      user: member.id,
      role: ((await role.json()) as { id: string }).id,
      session: session.id,
    };
  });
  afterAll(() => t.close());

  /** Every POST/PATCH/DELETE API route, with real ids in its path. */
  function writeRoutes(): { method: string; path: string }[] {
    const seen = new Set<string>();
    return t.app.routes
      .filter(
        (r) => r.path.startsWith("/api/v1/") && ["POST", "PATCH", "DELETE"].includes(r.method),
      )
      .map((r) => {
        const kind = r.path.includes("/tokens/")
          ? "token"
          : r.path.includes("/roles/")
            ? "role"
            : r.path.includes("/me/sessions/")
              ? "session"
              : "user";
        const path = r.path
          .replace(":sessionId", fixtures.session as string)
          .replace(":id", fixtures[kind] as string);
        return { method: r.method, path };
      })
      .filter((r) => {
        const key = `${r.method} ${r.path}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }

  async function expectRefusedUnchanged(
    send: () => Response | Promise<Response>,
    status: number,
    code: string,
    what: string,
  ) {
    const before = await fingerprint(t);
    const answer = await send();
    expect(answer.status, what).toBe(status);
    const body = (await answer.json()) as unknown;
    expect(errorEnvelopeSchema.parse(body).error.code, what).toBe(code);
    const after = await fingerprint(t);
    expect(after.rows, `changed rows: ${what}`).toBe(before.rows);
    expect(await auditActionsSince(t, before), what).toEqual([]);
    return answer;
  }

  it("lists the write routes it checks", () => {
    expect(writeRoutes().length).toBeGreaterThanOrEqual(15);
  });

  it("a cookie-authenticated write without the CSRF header, with another session's, or from another site is refused, changing nothing", async () => {
    const other = await t.login(await t.createUser("owner"));
    for (const { method, path } of writeRoutes()) {
      const what = `${method} ${path}`;
      const send = (headers: Record<string, string>) =>
        t.app.request(path, {
          method,
          headers: { cookie: owner.cookie, "content-type": "application/json", ...headers },
          body: "{}",
        });
      const anonymous = path.endsWith("/auth/login") || path.endsWith("/tokens/verify");
      if (!anonymous) {
        await expectRefusedUnchanged(() => send({}), 403, "csrf_failed", `${what} (no header)`);
        await expectRefusedUnchanged(
          () => send({ "x-csrf-token": other.csrf }),
          403,
          "csrf_failed",
          `${what} (another session's token)`,
        );
      }
      await expectRefusedUnchanged(
        () => send({ "x-csrf-token": owner.csrf, origin: "https://evil.example" }),
        403,
        "csrf_failed",
        `${what} (cross-site Origin)`,
      );
      await expectRefusedUnchanged(
        () => send({ "x-csrf-token": owner.csrf, "sec-fetch-site": "cross-site" }),
        403,
        "csrf_failed",
        `${what} (Sec-Fetch-Site: cross-site)`,
      );
    }
  });

  it("a cross-site sign-in form is refused (login CSRF)", async () => {
    const user = await t.createUser("member");
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: user.username, password: user.password },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("every write route refuses a body over 1 MiB with 413, with or without Content-Length, before authentication, changing nothing", async () => {
    const huge = `{"name":"${"x".repeat(MAX_BODY_BYTES)}"}`;
    for (const { method, path } of writeRoutes()) {
      const what = `${method} ${path}`;
      await expectRefusedUnchanged(
        () =>
          t.app.request(path, {
            method,
            headers: {
              cookie: owner.cookie,
              "x-csrf-token": owner.csrf,
              "content-type": "application/json",
              "content-length": String(Buffer.byteLength(huge)),
            },
            body: huge,
          }),
        413,
        "payload_too_large",
        `${what} (Content-Length)`,
      );
      // Streamed: no Content-Length to trust, the limit is counted as the body arrives.
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > MAX_BODY_BYTES + chunk.length) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      await expectRefusedUnchanged(
        () =>
          t.app.request(
            new Request(`http://localhost${path}`, {
              method,
              headers: { "content-type": "application/json" },
              body: stream,
              duplex: "half",
            } as RequestInit),
          ),
        413,
        "payload_too_large",
        `${what} (streamed, anonymous)`,
      );
    }
  });

  it("a body just under the limit is read and judged on its content", async () => {
    const body = `{"name":"${"x".repeat(MAX_BODY_BYTES - 20)}"}`;
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES);
    const res = await t.request("/api/v1/tokens", { method: "POST", as: owner, body });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("validation_failed");
  });

  it("session cookies: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS (also behind a trusted proxy), and the same flags when refreshed", async () => {
    const user = await t.createUser("member");
    const flags = (res: Response) =>
      Object.fromEntries(
        res.headers.getSetCookie().map((line) => {
          const [pair, ...attrs] = line.split(";").map((s) => s.trim());
          return [pair?.split("=")[0], attrs.map((a) => a.toLowerCase())];
        }),
      ) as Record<string, string[]>;
    const signIn = (url: string, headers: Record<string, string> = {}) =>
      t.app.request(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ username: user.username, password: user.password }),
      });

    for (const res of [
      await signIn("https://keyward.example/api/v1/auth/login"),
      await signIn("http://localhost/api/v1/auth/login", { "x-forwarded-proto": "https" }),
    ]) {
      expect(res.status).toBe(200);
      const cookies = flags(res);
      expect(cookies[SESSION_COOKIE]).toEqual(
        expect.arrayContaining(["httponly", "samesite=lax", "path=/", "secure"]),
      );
      expect(cookies[CSRF_COOKIE]).toEqual(
        expect.arrayContaining(["samesite=lax", "path=/", "secure"]),
      );
      expect(cookies[CSRF_COOKIE]).not.toContain("httponly");
    }
    // The device cookie goes back to the sign-in route only, and never to another site.
    for (const res of [
      await signIn("https://keyward.example/api/v1/auth/login"),
      await signIn("http://localhost/api/v1/auth/login", { "x-forwarded-proto": "https" }),
    ]) {
      expect(flags(res)[DEVICE_COOKIE]).toEqual(
        expect.arrayContaining([
          "httponly",
          "samesite=strict",
          "path=/api/v1/auth/login",
          "secure",
          `max-age=${180 * 24 * 3600}`,
        ]),
      );
    }
    // Plain HTTP (local development) cannot carry Secure cookies.
    const plain = flags(await signIn("http://localhost/api/v1/auth/login"));
    expect(plain[SESSION_COOKIE]).not.toContain("secure");
    expect(plain[SESSION_COOKIE]).toContain("httponly");

    // A sliding refresh re-sends the cookie: same flags.
    const res = await signIn("https://keyward.example/api/v1/auth/login");
    const session = readSetCookies(res)[SESSION_COOKIE] as string;
    await t.db.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(Date.now() - 5 * MINUTE) })
      .where("user_id", "=", user.id)
      .execute();
    const refreshed = await t.app.request("https://keyward.example/api/v1/me", {
      headers: { cookie: `${SESSION_COOKIE}=${session}` },
    });
    expect(refreshed.status).toBe(200);
    expect(flags(refreshed)[SESSION_COOKIE]).toEqual(
      expect.arrayContaining(["httponly", "samesite=lax", "path=/", "secure"]),
    );
    // The session secret travels only in the cookie, never in an answer body.
    expect(await res.clone().text()).not.toContain(session);
  });
});

describe("security headers on every page and every kind of answer", () => {
  let t: TestApp;
  let app: ReturnType<typeof createApp>;
  let webDist: string;
  beforeAll(async () => {
    t = await createTestApp();
    // A stand-in for the built web app, so the page routes are served as in production.
    webDist = mkdtempSync(join(tmpdir(), "keyward-web-"));
    mkdirSync(join(webDist, "assets"));
    writeFileSync(join(webDist, "index.html"), '<!doctype html><div id="root"></div>');
    writeFileSync(join(webDist, "assets", "app-1234.js"), "console.log(1)");
    writeFileSync(join(webDist, "favicon.svg"), "<svg/>");
    app = createApp({ ...t.deps, config: { ...t.config, webDist } });
  });
  afterAll(async () => {
    rmSync(webDist, { recursive: true, force: true });
    await t.close();
  });

  function expectSecurityHeaders(res: Response, what: string) {
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).not.toContain("unsafe-eval");
    expect(csp.match(/script-src[^;]*/)?.[0] ?? "", what).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
    expect(res.headers.get("referrer-policy"), what).toBe("no-referrer");
    expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  }

  it("every page of the web app, its assets and unknown paths", async () => {
    const pages = [
      "/",
      "/sign-in",
      "/cli-auth",
      "/admin",
      "/admin/tokens",
      "/admin/tokens?name=%3Cscript%3E",
      "/admin/users",
      "/admin/users/usr_x",
      "/admin/roles",
      "/admin/roles/rol_x",
      "/admin/audit",
      "/admin/settings",
      "/profile",
      "/profile/tokens",
      "/profile/sessions",
      "/no/such/page",
    ];
    for (const path of pages) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      expectSecurityHeaders(res, path);
      const csp = res.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ])
        expect(csp, path).toContain(directive);
    }
    for (const path of [
      "/assets/app-1234.js",
      "/favicon.svg",
      "/assets/missing.js",
      "/api/docs",
      "/api/openapi.json",
    ]) {
      expectSecurityHeaders(await app.request(path), path);
    }
  });

  it("every kind of API answer: success, each error status, 413 and 429", async () => {
    const caller = await t.login(await t.createUser("member"));
    const answers: [string, Response][] = [
      ["200", await app.request("/api/v1/health")],
      [
        "201",
        await app.request("/api/v1/tokens", {
          method: "POST",
          headers: {
            cookie: caller.cookie,
            "x-csrf-token": caller.csrf,
            "content-type": "application/json",
          },
          body: '{"name":"h"}',
        }),
      ],
      [
        "400",
        await app.request("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{",
        }),
      ],
      ["401", await app.request("/api/v1/me")],
      [
        "403",
        await app.request("/api/v1/auth/logout", {
          method: "POST",
          headers: { cookie: caller.cookie },
        }),
      ],
      ["404", await app.request("/api/v1/nope")],
      [
        "413",
        await app.request("/api/v1/tokens/verify", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "x".repeat(MAX_BODY_BYTES + 1),
        }),
      ],
    ];
    let limited: Response | undefined;
    for (let i = 0; i < 30 && limited?.status !== 429; i++) {
      const body = `kw_${String(i).padStart(16, "0")}_${"B".repeat(43)}`;
      limited = await app.request("/api/v1/me", {
        headers: {
          authorization: `Bearer ${body}${base62Checksum(body)}`,
          "x-forwarded-for": "10.80.0.1",
        },
      });
    }
    answers.push(["429", limited as Response]);
    for (const [status, res] of answers) {
      expect(String(res.status)).toBe(status);
      expectSecurityHeaders(res, status);
    }
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
