import type { Settings, SettingsImpact } from "@keyward/contracts/settings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Caller,
  createTestApp,
  createTestRole,
  errorCode,
  signedInAs,
  type TestApp,
} from "./harness.ts";

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe("PATCH /api/v1/settings (nothing fixed by the environment)", () => {
  let t: TestApp;
  let owner: Caller;
  beforeAll(async () => {
    t = await createTestApp();
    owner = (await signedInAs(t, "owner")).caller;
  });
  afterAll(() => t.close());

  const patch = (body: unknown, as: Caller = owner) =>
    t.request("/api/v1/settings", { method: "PATCH", as, body });

  it("answers the defaults, none fixed by the environment", async () => {
    const res = await t.request("/api/v1/settings", { as: owner });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Settings;
    expect(body.tokens.maxLifetime).toEqual({ ms: null, text: null });
    expect(body.tokens.neverExpiresAllowed).toBe(true);
    expect(body.sessions.duration).toEqual({ ms: DAY, text: "1d" });
    expect(body.fixedByEnvironment).toEqual({
      maxTokenLifetime: false,
      defaultTokenLifetime: false,
      sessionDuration: false,
      sessionRefresh: false,
    });
  });

  it("refuses roles without settings.manage (403), and tokens without settings:update", async () => {
    for (const role of ["admin", "auditor", "member", "guest"]) {
      const { caller } = await signedInAs(t, role);
      const res = await patch({ maxTokenLifetime: "30d" }, caller);
      expect(res.status, role).toBe(403);
      const impact = await t.request("/api/v1/settings/impact?maxTokenLifetime=30d", {
        as: caller,
      });
      expect(impact.status, role).toBe(403);
    }
    const custom = await createTestRole(t, ["settings.manage", "tokens.own.manage"]);
    const { caller: manager } = await signedInAs(t, custom);
    const readOnly = await t.createToken(manager, { scopes: ["settings:read"] });
    const byToken = await t.request("/api/v1/settings", {
      method: "PATCH",
      as: { token: readOnly.secret },
      body: { sessionRefresh: true },
    });
    expect(byToken.status).toBe(403);
    expect(await errorCode(byToken)).toBe("insufficient_scope");
    const allowed = await t.createToken(manager, { scopes: ["settings:update"] });
    const ok = await t.request("/api/v1/settings", {
      method: "PATCH",
      as: { token: allowed.secret },
      body: { sessionRefresh: true },
    });
    expect(ok.status).toBe(200);
    // The policy has no id: a token whose allow list lacks settings:* may not read or change it.
    const tokensOnly = await t.createToken(manager, {
      scopes: ["settings:update", "settings:read"],
      allow: ["token:*"],
    });
    for (const [method, path] of [
      ["PATCH", "/api/v1/settings"],
      ["GET", "/api/v1/settings"],
      ["GET", "/api/v1/settings/impact?maxTokenLifetime=1d"],
    ] as const) {
      const refused = await t.request(path, {
        method,
        as: { token: tokensOnly.secret },
        body: method === "PATCH" ? { sessionRefresh: false } : undefined,
      });
      expect(refused.status, path).toBe(403);
      expect(await errorCode(refused)).toBe("resource_not_allowed");
    }
    const listed = await t.createToken(manager, {
      scopes: ["settings:update"],
      allow: ["settings:*"],
    });
    const listedOk = await t.request("/api/v1/settings", {
      method: "PATCH",
      as: { token: listed.secret },
      body: { sessionRefresh: true },
    });
    expect(listedOk.status).toBe(200);
  });

  it("refuses bad input: not a duration, unknown fields, a default beyond the maximum", async () => {
    const bad = await patch({ maxTokenLifetime: "forever" });
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe("validation_failed");
    expect((await patch({ maxLifetime: "30d" })).status).toBe(400);
    expect((await patch({ sessionDuration: "1m" })).status).toBe(400);

    const both = await patch({ maxTokenLifetime: "30d", defaultTokenLifetime: "60d" });
    expect(both.status).toBe(400);
    expect(await errorCode(both)).toBe("default_exceeds_max_lifetime");
    // Nothing of the refused change was saved.
    const now = (await (await t.request("/api/v1/settings", { as: owner })).json()) as Settings;
    expect(now.tokens.maxLifetime.ms).toBeNull();

    expect((await patch({ defaultTokenLifetime: "60d" })).status).toBe(200);
    const lower = await patch({ maxTokenLifetime: "30d" });
    expect(lower.status).toBe(400);
    expect(await errorCode(lower)).toBe("default_exceeds_max_lifetime");
    expect((await patch({ defaultTokenLifetime: null })).status).toBe(200);
  });

  it("counts the tokens a proposed maximum would exceed", async () => {
    const { caller } = await signedInAs(t, "member");
    const before = (await (
      await t.request("/api/v1/settings/impact?maxTokenLifetime=30d", { as: owner })
    ).json()) as SettingsImpact;
    await t.createToken(caller, { expiresAt: null });
    await t.createToken(caller, { expiresAt: inDays(90) });
    await t.createToken(caller, { expiresAt: inDays(10) });
    const res = await t.request("/api/v1/settings/impact?maxTokenLifetime=30d", { as: owner });
    expect(res.status).toBe(200);
    const impact = (await res.json()) as SettingsImpact;
    expect(impact.maxLifetime).toEqual({ ms: 30 * DAY, text: "30d" });
    expect(impact.tokensExceeding - before.tokensExceeding).toBe(2);
    expect(impact.tokensExceedingIsEstimate).toBe(false);
    const wider = (await (
      await t.request("/api/v1/settings/impact?maxTokenLifetime=100d", { as: owner })
    ).json()) as SettingsImpact;
    expect(wider.tokensExceeding).toBe(impact.tokensExceeding - 1);
    const bad = await t.request("/api/v1/settings/impact?maxTokenLifetime=soon", { as: owner });
    expect(bad.status).toBe(400);
  });

  it("applies a new maximum to new and edited tokens, and records who changed what", async () => {
    const { caller } = await signedInAs(t, "member");
    const existing = await t.createToken(caller, { expiresAt: null });

    const res = await patch({ maxTokenLifetime: "30d", defaultTokenLifetime: "7d" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Settings;
    expect(body.tokens.maxLifetime).toEqual({ ms: 30 * DAY, text: "30d" });
    expect(body.tokens.defaultLifetime).toEqual({ ms: 7 * DAY, text: "7d" });
    expect(body.tokens.neverExpiresAllowed).toBe(false);
    const read = (await (await t.request("/api/v1/settings", { as: caller })).json()) as Settings;
    expect(read.tokens.maxLifetime.text).toBe("30d");

    const beyond = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "too-long", expiresAt: inDays(31) },
    });
    expect(beyond.status).toBe(400);
    expect(await errorCode(beyond)).toBe("expiry_exceeds_max_lifetime");
    const never = await t.request("/api/v1/tokens", {
      method: "POST",
      as: caller,
      body: { name: "never", expiresAt: null },
    });
    expect(await errorCode(never)).toBe("expiry_required");
    const defaulted = await t.createToken(caller, { name: "defaulted" });
    const expires = new Date(defaulted.token.expiresAt ?? 0).getTime();
    expect(Math.abs(expires - (Date.now() + 7 * DAY))).toBeLessThan(60_000);
    const edit = await t.request(`/api/v1/tokens/${defaulted.token.id}`, {
      method: "PATCH",
      as: caller,
      body: { expiresAt: inDays(45) },
    });
    expect(await errorCode(edit)).toBe("expiry_exceeds_max_lifetime");

    // The token created before the change keeps working.
    const me = await t.request("/api/v1/me", { as: { token: existing.secret } });
    expect(me.status).toBe(200);

    const audit = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "settings.updated")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.actor_name).toBeTruthy();
    expect(audit.details).toEqual({
      maxTokenLifetime: { from: null, to: "30d" },
      defaultTokenLifetime: { from: null, to: "7d" },
    });

    // Back to unlimited.
    expect((await patch({ maxTokenLifetime: null, defaultTokenLifetime: null })).status).toBe(200);
    await t.createToken(caller, { expiresAt: null });
  });

  it("applies a new session duration to new sign-ins", async () => {
    expect((await patch({ sessionDuration: "2h" })).status).toBe(200);
    const { caller } = await signedInAs(t, "member");
    const res = await t.request("/api/v1/me/sessions", { as: caller });
    const { items } = (await res.json()) as { items: { current: boolean; expiresAt: string }[] };
    const current = items.find((s) => s.current);
    const left = new Date(current?.expiresAt ?? 0).getTime() - Date.now();
    expect(left).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(left).toBeLessThanOrEqual(2 * 3_600_000);
    expect((await patch({ sessionDuration: "24h" })).status).toBe(200);
  });
});

describe("PATCH /api/v1/settings with values fixed by the environment", () => {
  let t: TestApp;
  let owner: Caller;
  beforeAll(async () => {
    t = await createTestApp({ KEYWARD_MAX_TOKEN_LIFETIME: "90d", KEYWARD_SESSION_DURATION: "8h" });
    owner = (await signedInAs(t, "owner")).caller;
  });
  afterAll(() => t.close());

  it("marks them fixed and refuses to change them (409), changing nothing", async () => {
    const read = (await (await t.request("/api/v1/settings", { as: owner })).json()) as Settings;
    expect(read.fixedByEnvironment).toEqual({
      maxTokenLifetime: true,
      defaultTokenLifetime: false,
      sessionDuration: true,
      sessionRefresh: false,
    });
    expect(read.tokens.maxLifetime.text).toBe("90d");

    const res = await t.request("/api/v1/settings", {
      method: "PATCH",
      as: owner,
      body: { maxTokenLifetime: "30d", sessionRefresh: false },
    });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("setting_fixed_by_environment");
    const after = (await (await t.request("/api/v1/settings", { as: owner })).json()) as Settings;
    expect(after.sessions.refreshWhileInUse).toBe(true);

    // The values the environment leaves open can change, within the fixed maximum.
    const tooLong = await t.request("/api/v1/settings", {
      method: "PATCH",
      as: owner,
      body: { defaultTokenLifetime: "120d" },
    });
    expect(await errorCode(tooLong)).toBe("default_exceeds_max_lifetime");
    const ok = await t.request("/api/v1/settings", {
      method: "PATCH",
      as: owner,
      body: { defaultTokenLifetime: "30d" },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Settings).tokens.defaultLifetime.text).toBe("30d");
  });
});
