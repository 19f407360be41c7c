import { DEVICE_COOKIE } from "@keyward/contracts/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN_USERNAME } from "../src/services/auth/sign-in.ts";
import { createTestApp, errorCode, readSetCookies, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("POST /api/v1/auth/login", () => {
  it("signs in, sets an HttpOnly SameSite session cookie and a CSRF cookie, and answers the user", async () => {
    const user = await t.createUser("admin");
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: user.username.toUpperCase(), password: user.password },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      user: { id: string; role: { name: string; permissions: string[] } };
      expiresAt: string;
    };
    expect(body.user.id).toBe(user.id);
    expect(body.user.role.name).toBe("Admin");
    expect(body.user.role.permissions).toContain("users.manage");
    const lines = res.headers.getSetCookie();
    const session = lines.find((l) => l.startsWith("kw_session="));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Max-Age=86400/);
    expect(lines.find((l) => l.startsWith("kw_csrf="))).not.toMatch(/HttpOnly/i);
    // 24 h by default.
    const expiresIn = new Date(body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(23.9 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
  });

  it("answers the same 401 for a wrong password, an unknown user and a disabled user", async () => {
    const user = await t.createUser("member");
    const disabled = await t.createUser("member", { status: "disabled" });
    const attempts = [
      { username: user.username, password: "wrong password!!" },
      { username: "nobody-at-all", password: "whatever password" },
      { username: disabled.username, password: disabled.password },
    ];
    const bodies = [];
    for (const [i, attempt] of attempts.entries()) {
      const res = await t.request("/api/v1/auth/login", {
        method: "POST",
        body: attempt,
        headers: { "x-forwarded-for": `10.9.0.${i}` },
      });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
      const body = (await res.json()) as {
        error: { code: string; message: string; requestId: string };
      };
      bodies.push({ code: body.error.code, message: body.error.message });
      expect(body.error.requestId).toMatch(/^req_/);
    }
    expect(bodies).toEqual(
      Array(3).fill({ code: "invalid_credentials", message: "Incorrect username or password." }),
    );
  });

  it("records failed and successful sign-ins in the audit log, never the password", async () => {
    const user = await t.createUser("member");
    await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: user.username, password: "not-the-password" },
    });
    await t.login(user);
    const rows = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("actor_name", "=", user.username)
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.action)).toEqual(["auth.login_failed", "auth.login"]);
    expect(rows[0]?.details).toEqual({ reason: "wrong_password" });
    expect(JSON.stringify(rows)).not.toContain("not-the-password");
    expect(JSON.stringify(rows)).not.toContain(user.password);
  });

  it("marks a failed sign-in from a browser where the user signed in before, and only that one", async () => {
    const user = await t.createUser("member");
    const signedIn = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: user.username, password: user.password },
      headers: { "x-forwarded-for": "10.67.0.1" },
    });
    const device = readSetCookies(signedIn)[DEVICE_COOKIE];
    expect(device).toBeTruthy();
    for (const cookie of [`${DEVICE_COOKIE}=${device}`, `${DEVICE_COOKIE}=${device}x`]) {
      await t.request("/api/v1/auth/login", {
        method: "POST",
        body: { username: user.username, password: "not-the-password" },
        headers: { cookie, "x-forwarded-for": "10.67.0.1" },
      });
    }
    const rows = await t.db.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "auth.login_failed")
      .where("target_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.details)).toEqual([
      { reason: "wrong_password", knownBrowser: true },
      { reason: "wrong_password" },
    ]);
  });

  it("records a sign-in with an unknown username without the name typed, which may be a password", async () => {
    const typed = "Correct-Horse-Battery-Staple-42";
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: typed, password: "anything" },
      headers: { "x-forwarded-for": "10.66.0.9" },
    });
    expect(res.status).toBe(401);
    const rows = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "auth.login_failed")
      .where("ip", "=", "10.66.0.9")
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_name: UNKNOWN_USERNAME,
      details: { reason: "unknown_user" },
    });
    expect(JSON.stringify(rows).toLowerCase()).not.toContain(typed.toLowerCase());
  });

  it("names the account, as stored, when a known username is typed in another case", async () => {
    const user = await t.createUser("member");
    await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: user.username.toUpperCase(), password: "not-the-password" },
    });
    const row = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "auth.login_failed")
      .where("target_id", "=", user.id)
      .executeTakeFirst();
    expect(row?.actor_name).toBe(user.username);
  });

  it("slows down repeated failures from one address with 429 and Retry-After", async () => {
    const user = await t.createUser("member");
    const attempt = (password: string) =>
      t.request("/api/v1/auth/login", {
        method: "POST",
        body: { username: user.username, password },
        headers: { "x-forwarded-for": "10.66.0.1" },
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const limited = await attempt(user.password);
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("refuses malformed JSON, missing fields and over-long strings with 400 and field issues", async () => {
    const malformed = await t.request("/api/v1/auth/login", { method: "POST", body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe("malformed_json");

    const missing = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: "x" },
    });
    expect(missing.status).toBe(400);
    const missingBody = (await missing.json()) as {
      error: { code: string; issues: { path: string[] }[] };
    };
    expect(missingBody.error.code).toBe("validation_failed");
    expect(missingBody.error.issues.map((i) => i.path.join("."))).toContain("password");

    const long = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: "u".repeat(65), password: "p" },
    });
    expect(long.status).toBe(400);
    const longBody = (await long.json()) as { error: { issues: { path: string[] }[] } };
    expect(longBody.error.issues.map((i) => i.path.join("."))).toEqual(["username"]);

    const count = await t.db.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    const before = Number(count.n);
    await t.request("/api/v1/auth/login", { method: "POST", body: { username: 5, password: [] } });
    const after = await t.db.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(before);
  });
});

describe("GET /api/v1/me", () => {
  it("answers the signed-in user with role and permissions", async () => {
    const user = await t.createUser("auditor");
    const caller = await t.login(user);
    const res = await t.request("/api/v1/me", { as: caller });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: user.id,
      username: user.username,
      displayName: `Test ${user.username}`,
      role: { id: "rol_auditor", name: "Auditor", permissions: ["tokens.all.read", "audit.read"] },
      authMethod: "session",
    });
  });

  it("answers 401 without a session and with a made-up cookie", async () => {
    const none = await t.request("/api/v1/me");
    expect(none.status).toBe(401);
    expect(await errorCode(none)).toBe("unauthenticated");
    const forged = await t.request("/api/v1/me", {
      headers: { cookie: "kw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    });
    expect(forged.status).toBe(401);
  });

  it("answers session_expired for an expired session and clears the cookie", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    await t.db.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", user.id)
      .execute();
    const res = await t.request("/api/v1/me", { as: caller });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("session_expired");
    expect(res.headers.getSetCookie().some((l) => l.startsWith("kw_session=;"))).toBe(true);
  });

  it("stops working at once when the user is disabled", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    await t.db.db
      .updateTable("users")
      .set({ status: "disabled" })
      .where("id", "=", user.id)
      .execute();
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
  });
});

describe("sliding session expiry", () => {
  it("moves the expiry forward while the session is in use", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const past = new Date(Date.now() - 10 * 60_000);
    const soon = new Date(Date.now() + 60 * 60_000);
    await t.db.db
      .updateTable("sessions")
      .set({ last_seen_at: past, expires_at: soon })
      .where("user_id", "=", user.id)
      .execute();
    const res = await t.request("/api/v1/me", { as: caller });
    expect(res.status).toBe(200);
    expect(
      res.headers
        .getSetCookie()
        .some((l) => l.startsWith("kw_session=") && /Max-Age=86400/.test(l)),
    ).toBe(true);
    const row = await t.db.db
      .selectFrom("sessions")
      .select("expires_at")
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBeGreaterThan(Date.now() + 23.9 * 3600_000);
  });

  it("keeps the expiry fixed when refresh is disabled, and honours the configured duration", async () => {
    const fixed = await createTestApp({
      KEYWARD_SESSION_DURATION: "2h",
      KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH: "1",
    });
    try {
      const user = await fixed.createUser("member");
      const caller = await fixed.login(user);
      const before = await fixed.db.db
        .selectFrom("sessions")
        .select("expires_at")
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(before.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(2 * 3600_000);
      expect(before.expires_at.getTime() - Date.now()).toBeGreaterThan(1.9 * 3600_000);
      await fixed.db.db
        .updateTable("sessions")
        .set({ last_seen_at: new Date(Date.now() - 10 * 60_000) })
        .where("user_id", "=", user.id)
        .execute();
      expect((await fixed.request("/api/v1/me", { as: caller })).status).toBe(200);
      const after = await fixed.db.db
        .selectFrom("sessions")
        .select("expires_at")
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(after.expires_at.getTime()).toBe(before.expires_at.getTime());
    } finally {
      await fixed.close();
    }
  });
});

describe("POST /api/v1/auth/logout and CSRF", () => {
  it("ends the session so the cookie no longer works", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const res = await t.request("/api/v1/auth/logout", { method: "POST", as: caller });
    expect(res.status).toBe(204);
    expect(readSetCookies(res).kw_session).toBe("");
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
  });

  it("refuses a cookie-authenticated write without the CSRF token, changing nothing", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const res = await t.request("/api/v1/auth/logout", {
      method: "POST",
      as: caller,
      headers: { "x-csrf-token": "forged" },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("csrf_failed");
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);
  });

  it("refuses a write from another origin", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const res = await t.request("/api/v1/auth/logout", {
      method: "POST",
      as: caller,
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("csrf_failed");
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);
  });
});

describe("secrets stay out of logs", () => {
  it("never logs passwords or session cookies", async () => {
    const user = await t.createUser("member");
    await t.request("/api/v1/auth/login", {
      method: "POST",
      body: { username: user.username, password: "a-wrong-password-123" },
    });
    const caller = await t.login(user);
    await t.request("/api/v1/me", { as: caller });
    const sessionValue = caller.cookie.split(";")[0]?.split("=")[1] ?? "";
    const all = t.logs.join("\n");
    expect(t.logs.length).toBeGreaterThan(0);
    expect(all).not.toContain(user.password);
    expect(all).not.toContain("a-wrong-password-123");
    expect(all).not.toContain(sessionValue);
    expect(all).not.toContain(caller.csrf);
  });
});
