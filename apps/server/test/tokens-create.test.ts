import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTokenSecret } from "../src/lib/token-secret.ts";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

describe("POST /api/v1/tokens", () => {
  it("creates a token for the caller and shows the secret once", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: {
        name: "ci deploy",
        description: "for the pipeline",
        expiresAt,
        scopes: ["token:read"],
      },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: Record<string, unknown>; secret: string };
    expect(body.secret).toMatch(/^kw_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    expect(parseTokenSecret(body.secret)?.tokenId).toBe(body.token.id);
    expect(body.token).toMatchObject({
      name: "ci deploy",
      description: "for the pipeline",
      userId: user.id,
      userName: user.username,
      createdBy: user.id,
      createdByName: user.username,
      expiresAt,
      status: "enabled",
      expired: false,
      lastUsedAt: null,
      lastUsedIp: null,
      lastUsedUserAgent: null,
      scopes: ["token:read"],
      allow: [],
      secretRegeneratedAt: null,
    });
    expect(body.token.id).toMatch(/^tok_[0-9A-Za-z]{16}$/);
    expect(body.token).not.toHaveProperty("secret");
    expect(res.headers.get("cache-control")).toBe("no-store");

    // Never again: not in the one-token answer, not in the database, not in the logs.
    const again = await t.request(`/api/v1/tokens/${body.token.id}`, { as: caller });
    expect(JSON.stringify(await again.json())).not.toContain(body.secret);
    const row = await t.db.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", String(body.token.id))
      .executeTakeFirstOrThrow();
    expect(row.secret_hash.length).toBe(32);
    expect(JSON.stringify(row)).not.toContain(body.secret.slice(20));
    expect(t.logs.join("\n")).not.toContain(body.secret);
  });

  it("defaults to all scopes, enabled, and never expiring when no lifetime is configured", async () => {
    const caller = await t.login(await t.createUser("member"));
    const { token } = await t.createToken(caller, { name: "defaults" });
    expect(token).toMatchObject({ scopes: ["all"], allow: [], status: "enabled", expiresAt: null });
  });

  it("creates a disabled token when asked, with an allow list", async () => {
    const caller = await t.login(await t.createUser("member"));
    const { token } = await t.createToken(caller, {
      enabled: false,
      allow: ["token:*", "user:usr_abc"],
    });
    expect(token.status).toBe("disabled");
    expect(token.allow).toEqual(["token:*", "user:usr_abc"]);
  });

  it("lets tokens.all.manage create a token on behalf of another user, keeping the creator", async () => {
    const admin = await t.createUser("admin");
    const member = await t.createUser("member");
    const { token } = await t.createToken(await t.login(admin), { userId: member.id });
    expect(token).toMatchObject({
      userId: member.id,
      userName: member.username,
      createdBy: admin.id,
      createdByName: admin.username,
    });
  });

  it("writes an audit row in the same transaction, never the secret", async () => {
    const user = await t.createUser("member");
    const { token, secret } = await t.createToken(await t.login(user), { name: "audited" });
    const rows = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "=", token.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "token.create",
      actor_id: user.id,
      target_type: "token",
      target_name: "audited",
    });
    expect(JSON.stringify(rows)).not.toContain(secret);
  });
});

describe("POST /api/v1/tokens: bad input", () => {
  it("refuses a missing, empty or over-long name and an over-long description with field issues", async () => {
    const caller = await t.login(await t.createUser("member"));
    for (const body of [
      {},
      { name: "  " },
      { name: "x".repeat(65) },
      { name: "ok", description: "d".repeat(1001) },
    ]) {
      const res = await t.request("/api/v1/tokens", { method: "POST", as: caller, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(res)).toBe("validation_failed");
    }
  });

  it("refuses names and descriptions with terminal escapes or text-direction overrides", async () => {
    const caller = await t.login(await t.createUser("member"));
    for (const body of [
      { name: "x\u001b[31mred\u001b]0;title\u0007" },
      { name: "invoice\u202etxt.exe" },
      { name: "ok", description: "clears\u001b[2J the screen" },
    ]) {
      const res = await t.request("/api/v1/tokens", { method: "POST", as: caller, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const issues = ((await res.json()) as { error: { issues: { message: string }[] } }).error
        .issues;
      expect(issues.map((issue) => issue.message)).toContain(
        "Control and text-direction characters are not allowed",
      );
    }
    // Line breaks and tabs are fine in a description.
    await t.createToken(caller, { name: "multi-line", description: "line one\nline two\tend" });
  });

  it("refuses unknown scopes and malformed allow entries", async () => {
    const caller = await t.login(await t.createUser("member"));
    for (const body of [
      { name: "a", scopes: ["token:fly"] },
      { name: "b", scopes: [] },
      { name: "c", allow: ["token"] },
      { name: "d", allow: ["planet:*"] },
    ]) {
      const res = await t.request("/api/v1/tokens", { method: "POST", as: caller, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("answers 409 for a name the owner already uses (case-insensitive), but allows it for another user", async () => {
    const caller = await t.login(await t.createUser("member"));
    await t.createToken(caller, { name: "Deploy" });
    const clash = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "deploy" },
    });
    expect(clash.status).toBe(409);
    expect(await errorCode(clash)).toBe("token_name_taken");
    const other = await t.login(await t.createUser("member"));
    await t.createToken(other, { name: "Deploy" });
  });

  it("refuses an expiry in the past", async () => {
    const caller = await t.login(await t.createUser("member"));
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "late", expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("expiry_in_past");
  });

  it("refuses a malformed expiry", async () => {
    const caller = await t.login(await t.createUser("member"));
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "x", expiresAt: "next tuesday" },
    });
    expect(res.status).toBe(400);
  });
});

describe("token lifetime policy", () => {
  let p: TestApp;
  beforeAll(async () => {
    p = await createTestApp({
      KEYWARD_MAX_TOKEN_LIFETIME: "90d",
      KEYWARD_DEFAULT_TOKEN_LIFETIME: "30d",
    });
  });
  afterAll(() => p.close());

  it("gives a new token the default lifetime", async () => {
    const { token } = await p.createToken(await p.login(await p.createUser("member")));
    const lifetime = new Date(token.expiresAt ?? 0).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(29.9 * DAY);
    expect(lifetime).toBeLessThanOrEqual(30 * DAY);
  });

  it("refuses never-expiring tokens and expiries beyond the maximum, on create and on edit", async () => {
    const caller = await p.login(await p.createUser("member"));
    const never = await p.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "n", expiresAt: null },
    });
    expect(never.status).toBe(400);
    expect(await errorCode(never)).toBe("expiry_required");
    const tooLong = await p.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "l", expiresAt: new Date(Date.now() + 91 * DAY).toISOString() },
    });
    expect(tooLong.status).toBe(400);
    expect(await errorCode(tooLong)).toBe("expiry_exceeds_max_lifetime");
    const max = await p.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "m", expiresAt: new Date(Date.now() + 90 * DAY).toISOString() },
    });
    expect(max.status).toBe(201);

    const { token } = await p.createToken(caller);
    for (const [expiresAt, code] of [
      [null, "expiry_required"],
      [new Date(Date.now() + 100 * DAY).toISOString(), "expiry_exceeds_max_lifetime"],
    ] as const) {
      const res = await p.request(`/api/v1/tokens/${token.id}`, {
        method: "PATCH",
        as: caller,
        body: { expiresAt },
      });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe(code);
    }
  });

  it("states the policy on GET /api/v1/settings", async () => {
    const caller = await p.login(await p.createUser("guest"));
    const res = await p.request("/api/v1/settings", { as: caller });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      tokens: {
        maxLifetime: { ms: 90 * DAY, text: "90d" },
        defaultLifetime: { ms: 30 * DAY, text: "30d" },
        neverExpiresAllowed: false,
      },
      sessions: { duration: { text: "1d" }, refreshWhileInUse: true },
      fixedByEnvironment: {
        maxTokenLifetime: true,
        defaultTokenLifetime: true,
        sessionDuration: false,
        sessionRefresh: false,
      },
    });
    expect((await p.request("/api/v1/settings")).status).toBe(401);
  });
});

describe("POST /api/v1/tokens: security", () => {
  it("answers 401 without a caller", async () => {
    const res = await t.request("/api/v1/tokens", { method: "POST", body: { name: "x" } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("unauthenticated");
  });

  it("answers 403 to a role without token self-service (Guest, Auditor)", async () => {
    for (const role of ["guest", "auditor"]) {
      const caller = await t.login(await t.createUser(role));
      const res = await t.request("/api/v1/tokens", {
        method: "POST",
        as: caller,
        body: { name: "x" },
      });
      expect(res.status, role).toBe(403);
      expect(await errorCode(res)).toBe("forbidden");
    }
  });

  it("refuses creating for another user without tokens.all.manage, and 404s an unknown owner", async () => {
    const member = await t.login(await t.createUser("member"));
    const other = await t.createUser("member");
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: member,
      body: { name: "x", userId: other.id },
    });
    expect(res.status).toBe(403);
    const admin = await t.login(await t.createUser("admin"));
    const unknown = await t.request("/api/v1/tokens", {
      method: "POST",
      as: admin,
      body: { name: "x", userId: "usr_nobody" },
    });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("user_not_found");
  });

  it("needs the CSRF token for a cookie-authenticated create", async () => {
    const caller = await t.login(await t.createUser("member"));
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "x" },
      headers: { "x-csrf-token": "nope" },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("csrf_failed");
  });

  it("refuses a secret for a user whose role exceeds the caller's: an Admin cannot act as an Owner", async () => {
    const admin = await t.login(await t.createUser("admin"));
    const owner = await t.createUser("owner");
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: admin,
      body: { name: "escalate", userId: owner.id },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("permissions_exceed_caller");
    const tokens = await t.db.db
      .selectFrom("api_tokens")
      .select("id")
      .where("user_id", "=", owner.id)
      .execute();
    expect(tokens).toEqual([]);
    // A member's role is within an Admin's, and an Owner's covers everyone's.
    const member = await t.createUser("member");
    await t.createToken(admin, { name: "for a member", userId: member.id });
    const ownerCaller = await t.login(await t.createUser("owner"));
    await t.createToken(ownerCaller, { name: "for another owner", userId: owner.id });
  });

  it("bounds a token-made token's expiry by the calling token's own", async () => {
    const caller = await t.login(await t.createUser("member"));
    const ownExpiry = new Date(Date.now() + 3600_000);
    const { secret } = await t.createToken(caller, {
      expiresAt: ownExpiry.toISOString(),
      scopes: ["token:create"],
    });
    const as = { token: secret };
    for (const expiresAt of [null, new Date(Date.now() + 2 * 3600_000).toISOString()]) {
      const res = await t.request("/api/v1/tokens", {
        method: "POST",
        as,
        body: { name: `later ${expiresAt}`, expiresAt, scopes: ["token:create"] },
      });
      expect(res.status, String(expiresAt)).toBe(400);
      expect(await errorCode(res)).toBe("expiry_exceeds_caller");
    }
    // Earlier is fine; no expiry asked for gets the caller's own, not "never".
    const sooner = new Date(Date.now() + 1800_000).toISOString();
    const made = await t.createToken(as, { expiresAt: sooner, scopes: ["token:create"] });
    expect(made.token.expiresAt).toBe(sooner);
    const defaulted = await t.createToken(as, { scopes: ["token:create"] });
    expect(defaulted.token.expiresAt).toBe(ownExpiry.toISOString());
  });

  it("lets a token create a token with narrower or equal scopes, never broader", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user);
    const { secret } = await t.createToken(caller, { scopes: ["token:*"], allow: ["token:*"] });
    const as = { token: secret };
    const narrower = await t.request("/api/v1/tokens", {
      method: "POST",
      as,
      body: { name: "n", scopes: ["token:read"], allow: ["token:*"] },
    });
    expect(narrower.status).toBe(201);
    const created = (await narrower.json()) as { token: { userId: string; scopes: string[] } };
    expect(created.token).toMatchObject({ userId: user.id, scopes: ["token:read"] });
    for (const body of [
      { name: "b1", scopes: ["all"], allow: ["token:*"] },
      { name: "b2", scopes: ["token:read", "user:read"], allow: ["token:*"] },
      { name: "b3", scopes: ["token:read"] },
      { name: "b4", scopes: ["token:read"], allow: ["token:*", "user:*"] },
    ]) {
      const res = await t.request("/api/v1/tokens", { method: "POST", as, body });
      expect(res.status, body.name).toBe(403);
      expect(await errorCode(res)).toBe("scope_exceeds_caller");
    }
  });

  it("refuses a token without token:create, and one whose allow list lacks token:*", async () => {
    const caller = await t.login(await t.createUser("member"));
    const readOnly = await t.createToken(caller, { scopes: ["token:read"] });
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: { token: readOnly.secret },
      body: { name: "x", scopes: ["token:read"] },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("insufficient_scope");
    const pinned = await t.createToken(caller, { allow: [`token:${readOnly.token.id}`] });
    const res2 = await t.request("/api/v1/tokens", {
      method: "POST",
      as: { token: pinned.secret },
      body: { name: "y", allow: [`token:${readOnly.token.id}`] },
    });
    expect(res2.status).toBe(403);
    expect(await errorCode(res2)).toBe("resource_not_allowed");
  });
});
