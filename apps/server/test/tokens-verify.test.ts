import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let ip = 0;
async function verify(body: unknown, headers: Record<string, string> = {}) {
  const res = await t.request("/api/v1/tokens/verify", {
    method: "POST",
    body,
    headers: { "x-forwarded-for": `10.90.0.${ip++ % 250}`, ...headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function tokenFor(role = "member", input = {}) {
  const user = await t.createUser(role);
  const caller = await t.login(user);
  return { user, caller, ...(await t.createToken(caller, input)) };
}

describe("POST /api/v1/tokens/verify", () => {
  it("says valid, with token id, owner and scopes, to an unauthenticated caller", async () => {
    const { user, token, secret } = await tokenFor("member", {
      scopes: ["token:read", "token:update"],
    });
    const { status, body } = await verify({ token: secret });
    expect(status).toBe(200);
    expect(body).toEqual({
      valid: true,
      tokenId: token.id,
      userId: user.id,
      scopes: ["token:read", "token:update"],
    });
  });

  it("checks a scope against the token's scopes and its owner's role", async () => {
    const { secret } = await tokenFor("member", { scopes: ["token:read", "audit:read"] });
    expect((await verify({ token: secret, scope: "token:read" })).body.valid).toBe(true);
    // In the token's scopes, but the Member role cannot read the audit log.
    expect((await verify({ token: secret, scope: "audit:read" })).body).toMatchObject({
      valid: false,
      reason: "insufficient_scope",
    });
    expect((await verify({ token: secret, scope: "token:delete" })).body).toMatchObject({
      valid: false,
      reason: "insufficient_scope",
    });
    const all = await tokenFor("owner");
    expect((await verify({ token: all.secret, scope: "audit:read" })).body.valid).toBe(true);
  });

  it("checks a resource against the allow list", async () => {
    const { token, secret } = await tokenFor("member", { allow: ["token:tok_aaaaaaaaaaaaaaaa"] });
    expect(
      (await verify({ token: secret, resource: "token:tok_aaaaaaaaaaaaaaaa" })).body.valid,
    ).toBe(true);
    expect((await verify({ token: secret, resource: `token:${token.id}` })).body).toMatchObject({
      valid: false,
      reason: "resource_not_allowed",
    });
    expect((await verify({ token: secret, resource: "user:usr_1" })).body).toMatchObject({
      valid: false,
      reason: "resource_not_allowed",
    });
    const open = await tokenFor();
    expect((await verify({ token: open.secret, resource: "user:usr_1" })).body.valid).toBe(true);
  });

  it("answers a scope without a resource as a request would: the allow list must name that kind", async () => {
    const { secret } = await tokenFor("owner", { allow: ["token:tok_aaaaaaaaaaaaaaaa"] });
    // GET /tokens lists the one allowed token; GET /users, PATCH /settings and creating are refused.
    expect((await verify({ token: secret, scope: "token:read" })).body.valid).toBe(true);
    expect((await t.request("/api/v1/users", { as: { token: secret } })).status).toBe(403);
    for (const scope of ["user:read", "settings:update", "token:create"]) {
      expect((await verify({ token: secret, scope })).body, scope).toMatchObject({
        valid: false,
        reason: "resource_not_allowed",
      });
    }
    const kinds = await tokenFor("owner", { allow: ["user:*", "settings:*"] });
    for (const scope of ["user:read", "user:create", "settings:update"]) {
      expect((await verify({ token: kinds.secret, scope })).body.valid, scope).toBe(true);
    }
  });

  it("gives the reason a token does not work", async () => {
    const disabled = await tokenFor("member", { enabled: false });
    expect((await verify({ token: disabled.secret })).body).toMatchObject({
      valid: false,
      reason: "disabled",
      tokenId: disabled.token.id,
    });

    const expired = await tokenFor();
    await t.db.db
      .updateTable("api_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", expired.token.id)
      .execute();
    t.deps.tokenCache.invalidateTokens([expired.token.id]);
    expect((await verify({ token: expired.secret })).body).toMatchObject({
      valid: false,
      reason: "expired",
    });

    const orphan = await tokenFor();
    await t.setUserStatus(orphan.user.id, "disabled");
    expect((await verify({ token: orphan.secret })).body).toMatchObject({
      valid: false,
      reason: "owner_disabled",
    });

    const regenerated = await tokenFor();
    await t.request(`/api/v1/tokens/${regenerated.token.id}/regenerate`, {
      method: "POST",
      as: regenerated.caller,
    });
    expect((await verify({ token: regenerated.secret })).body).toEqual({
      valid: false,
      reason: "unknown",
    });

    const deleted = await tokenFor();
    await t.request(`/api/v1/tokens/${deleted.token.id}`, { method: "DELETE", as: deleted.caller });
    expect((await verify({ token: deleted.secret })).body).toEqual({
      valid: false,
      reason: "unknown",
    });
  });

  it("answers malformed for garbage and bad checksums without touching the database", async () => {
    const { secret } = await tokenFor();
    const flipped = `${secret.slice(0, -1)}${secret.at(-1) === "A" ? "B" : "A"}`;
    for (const token of ["", "hello", "kw_", flipped, `${secret}x`]) {
      const before = t.queryCount();
      const { status, body } = await verify({ token });
      expect(status).toBe(200);
      expect(body, token).toEqual({ valid: false, reason: "malformed" });
      expect(t.queryCount()).toBe(before);
    }
  });

  it("gives the same answer a request to Keyward gets", async () => {
    const { token, caller, secret } = await tokenFor("member", { scopes: ["token:read"] });
    expect((await verify({ token: secret, scope: "token:read" })).body.valid).toBe(true);
    expect((await t.request("/api/v1/tokens", { as: { token: secret } })).status).toBe(200);
    expect((await verify({ token: secret, scope: "token:create" })).body.reason).toBe(
      "insufficient_scope",
    );
    expect(
      (
        await t.request("/api/v1/tokens", {
          method: "POST",
          as: { token: secret },
          body: { name: "n", scopes: ["token:read"] },
        })
      ).status,
    ).toBe(403);
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "disabled" },
    });
    expect((await verify({ token: secret })).body.reason).toBe("disabled");
    expect((await t.request("/api/v1/tokens", { as: { token: secret } })).status).toBe(401);
  });

  it("counts a successful verification as a use of the token", async () => {
    const { token, caller, secret } = await tokenFor();
    await verify(
      { token: secret },
      { "x-forwarded-for": "198.51.100.7", "user-agent": "gateway/2" },
    );
    await t.deps.lastUsed.flush();
    const res = await t.request(`/api/v1/tokens/${token.id}`, { as: caller });
    expect(await res.json()).toMatchObject({
      lastUsedIp: "198.51.100.7",
      lastUsedUserAgent: "gateway/2",
    });
  });
});

describe("POST /api/v1/tokens/verify: bad input and abuse", () => {
  it("refuses a missing token, an unknown scope and a malformed resource with 400", async () => {
    const { secret } = await tokenFor();
    for (const body of [
      {},
      { token: 5 },
      { token: secret, scope: "all" },
      { token: secret, scope: "token:fly" },
      { token: secret, resource: "nothing" },
    ]) {
      const { status } = await verify(body);
      expect(status, JSON.stringify(body)).toBe(400);
    }
  });

  it("makes an address that keeps sending bad tokens wait before its next database read", async () => {
    const { secret } = await tokenFor();
    const headers = { "x-forwarded-for": "10.91.0.1" };
    for (let i = 0; i < 25; i++) {
      const res = await verify({ token: `kw_guess${i}` }, headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ valid: false, reason: "malformed" });
    }
    const res = await t.request("/api/v1/tokens/verify", {
      method: "POST",
      body: { token: secret },
      headers,
    });
    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // Verified once from elsewhere, the token is answered from memory, for this address too.
    expect((await verify({ token: secret })).body.valid).toBe(true);
    expect((await verify({ token: secret }, headers)).body.valid).toBe(true);
  });
});
