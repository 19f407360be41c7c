// GET, PATCH, DELETE /api/v1/tokens/{id} and POST /api/v1/tokens/{id}/regenerate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

async function member() {
  const user = await t.createUser("member");
  return { user, caller: await t.login(user) };
}

async function auditRows(tokenId: string) {
  return t.db.db
    .selectFrom("audit_events")
    .selectAll()
    .where("target_id", "=", tokenId)
    .orderBy("id")
    .execute();
}

describe("GET /api/v1/tokens/{id}", () => {
  it("answers the owner, and tokens.all.read callers, without any secret", async () => {
    const { caller } = await member();
    const { token } = await t.createToken(caller);
    const own = await t.request(`/api/v1/tokens/${token.id}`, { as: caller });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual(token);
    const auditor = await t.login(await t.createUser("auditor"));
    expect((await t.request(`/api/v1/tokens/${token.id}`, { as: auditor })).status).toBe(200);
  });

  it("answers 404 for an unknown id and for someone else's token, and 401 without a caller", async () => {
    const { caller } = await member();
    const { token } = await t.createToken((await member()).caller);
    for (const id of ["tok_doesnotexist0000", "garbage", token.id]) {
      const res = await t.request(`/api/v1/tokens/${id}`, { as: caller });
      expect(res.status, id).toBe(404);
      expect(await errorCode(res)).toBe("token_not_found");
    }
    expect((await t.request(`/api/v1/tokens/${token.id}`)).status).toBe(401);
  });
});

describe("PATCH /api/v1/tokens/{id}", () => {
  it("edits name, description, expiry, status, scopes and allow list, and audits what changed", async () => {
    const { user, caller } = await member();
    const { token } = await t.createToken(caller, { name: "before" });
    const expiresAt = new Date(Date.now() + 7 * DAY).toISOString();
    const res = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: {
        name: "after",
        description: "new words",
        expiresAt,
        status: "disabled",
        scopes: ["token:read"],
        allow: ["token:*"],
      },
    });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as Record<string, unknown>;
    expect(updated).toMatchObject({
      name: "after",
      description: "new words",
      expiresAt,
      status: "disabled",
      scopes: ["token:read"],
      allow: ["token:*"],
      userId: user.id,
    });
    expect(Date.parse(String(updated.updatedAt))).toBeGreaterThanOrEqual(
      Date.parse(token.updatedAt),
    );
    const rows = await auditRows(token.id);
    expect(rows.map((r) => r.action)).toEqual(["token.create", "token.update"]);
    expect(rows[1]?.details).toMatchObject({
      changes: {
        name: { from: "before", to: "after" },
        status: { from: "enabled", to: "disabled" },
      },
    });
  });

  it("audits a status flip as token.enable / token.disable, and a no-op as nothing", async () => {
    const { caller } = await member();
    const { token } = await t.createToken(caller);
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "disabled" },
    });
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "enabled" },
    });
    const same = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { name: token.name },
    });
    expect(same.status).toBe(200);
    expect((await auditRows(token.id)).map((r) => r.action)).toEqual([
      "token.create",
      "token.disable",
      "token.enable",
    ]);
  });

  it("can remove the expiry when no maximum is set", async () => {
    const { caller } = await member();
    const { token } = await t.createToken(caller, {
      expiresAt: new Date(Date.now() + DAY).toISOString(),
    });
    const res = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { expiresAt: null },
    });
    expect(((await res.json()) as { expiresAt: unknown }).expiresAt).toBeNull();
  });

  it("refuses the owner, unknown fields, bad values, a past expiry, and a name clash (409)", async () => {
    const { caller } = await member();
    const { token } = await t.createToken(caller, { name: "one" });
    await t.createToken(caller, { name: "two" });
    const cases: [unknown, number, string][] = [
      [{ userId: "usr_x" }, 400, "validation_failed"],
      [{ status: "paused" }, 400, "validation_failed"],
      [{ name: "" }, 400, "validation_failed"],
      [{ scopes: ["nope"] }, 400, "validation_failed"],
      [{ expiresAt: new Date(Date.now() - DAY).toISOString() }, 400, "expiry_in_past"],
      [{ name: "TWO" }, 409, "token_name_taken"],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.request(`/api/v1/tokens/${token.id}`, {
        method: "PATCH",
        as: caller,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(await errorCode(res)).toBe(code);
    }
    expect((await auditRows(token.id)).map((r) => r.action)).toEqual(["token.create"]);
  });

  it("404s someone else's token, 403s one the caller may see but not change", async () => {
    const { caller: owner } = await member();
    const { token } = await t.createToken(owner);
    const { caller: stranger } = await member();
    const res = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: stranger,
      body: { status: "disabled" },
    });
    expect(res.status).toBe(404);
    const auditor = await t.login(await t.createUser("auditor"));
    const seen = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: auditor,
      body: { status: "disabled" },
    });
    expect(seen.status).toBe(403);
    const admin = await t.login(await t.createUser("admin"));
    expect(
      (
        await t.request(`/api/v1/tokens/${token.id}`, {
          method: "PATCH",
          as: admin,
          body: { status: "disabled" },
        })
      ).status,
    ).toBe(200);
  });

  it("does not let a token widen its own scopes", async () => {
    const { caller } = await member();
    const { token, secret } = await t.createToken(caller, { scopes: ["token:*"] });
    const res = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: { token: secret },
      body: { scopes: ["all"] },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("scope_exceeds_caller");
  });

  it("does not let a token outlive its own expiry by editing itself", async () => {
    const { caller } = await member();
    const ownExpiry = new Date(Date.now() + 3600_000).toISOString();
    const { token, secret } = await t.createToken(caller, {
      expiresAt: ownExpiry,
      scopes: ["token:update"],
    });
    for (const expiresAt of [null, new Date(Date.now() + 2 * 3600_000).toISOString()]) {
      const res = await t.request(`/api/v1/tokens/${token.id}`, {
        method: "PATCH",
        as: { token: secret },
        body: { expiresAt },
      });
      expect(res.status, String(expiresAt)).toBe(400);
      expect(await errorCode(res)).toBe("expiry_exceeds_caller");
    }
    const sooner = new Date(Date.now() + 1800_000).toISOString();
    const shortened = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: { token: secret },
      body: { expiresAt: sooner },
    });
    expect(shortened.status).toBe(200);
    // Its owner, signed in, may still extend it.
    const extended = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { expiresAt: null },
    });
    expect(extended.status).toBe(200);
  });
});

describe("DELETE /api/v1/tokens/{id}", () => {
  it("deletes, audits, and then 404s", async () => {
    const { caller } = await member();
    const { token } = await t.createToken(caller);
    expect(
      (await t.request(`/api/v1/tokens/${token.id}`, { method: "DELETE", as: caller })).status,
    ).toBe(204);
    expect((await t.request(`/api/v1/tokens/${token.id}`, { as: caller })).status).toBe(404);
    expect(
      (await t.request(`/api/v1/tokens/${token.id}`, { method: "DELETE", as: caller })).status,
    ).toBe(404);
    expect((await auditRows(token.id)).map((r) => r.action)).toEqual([
      "token.create",
      "token.delete",
    ]);
  });

  it("404s someone else's token and keeps it; refuses a token without token:delete", async () => {
    const { caller: owner } = await member();
    const { token, secret } = await t.createToken(owner, {
      scopes: ["token:read", "token:update"],
    });
    const { caller: stranger } = await member();
    expect(
      (await t.request(`/api/v1/tokens/${token.id}`, { method: "DELETE", as: stranger })).status,
    ).toBe(404);
    const res = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "DELETE",
      as: { token: secret },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("insufficient_scope");
    expect((await t.request(`/api/v1/tokens/${token.id}`, { as: owner })).status).toBe(200);
  });
});

describe("POST /api/v1/tokens/{id}/regenerate", () => {
  it("replaces the secret in the same record and answers the new one once", async () => {
    const { caller } = await member();
    const { token, secret } = await t.createToken(caller, {
      name: "rotating",
      scopes: ["token:read"],
    });
    const res = await t.request(`/api/v1/tokens/${token.id}/regenerate`, {
      method: "POST",
      as: caller,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      token: { id: string; name: string; scopes: string[]; secretRegeneratedAt: string };
      secret: string;
    };
    expect(body.token).toMatchObject({ id: token.id, name: "rotating", scopes: ["token:read"] });
    expect(body.token.secretRegeneratedAt).not.toBeNull();
    expect(body.secret).not.toBe(secret);
    expect(body.secret.slice(0, 19)).toBe(secret.slice(0, 19));
    expect(t.logs.join("\n")).not.toContain(body.secret);
    expect((await auditRows(token.id)).map((r) => r.action)).toEqual([
      "token.create",
      "token.regenerate",
    ]);
    expect(JSON.stringify(await auditRows(token.id))).not.toContain(body.secret);
  });

  it("never hands a token caller a secret broader than its own", async () => {
    const { caller } = await member();
    const { token: broad, secret: broadSecret } = await t.createToken(caller, { name: "broad" });
    const { secret: narrow } = await t.createToken(caller, {
      name: "narrow",
      scopes: ["token:update"],
    });
    const res = await t.request(`/api/v1/tokens/${broad.id}/regenerate`, {
      method: "POST",
      as: { token: narrow },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("scope_exceeds_caller");
    // Nothing changed: the broad token's secret still works.
    expect((await t.request("/api/v1/me", { as: { token: broadSecret } })).status).toBe(200);
    // A token may still rotate itself.
    const { token: self, secret } = await t.createToken(caller, {
      name: "self-rotating",
      scopes: ["token:update"],
    });
    const rotated = await t.request(`/api/v1/tokens/${self.id}/regenerate`, {
      method: "POST",
      as: { token: secret },
    });
    expect(rotated.status).toBe(200);
  });

  it("lets a token change only tokens within its own scopes, allow list and expiry, but disable any", async () => {
    const { caller } = await member();
    const hour = new Date(Date.now() + 3600_000).toISOString();
    const { secret: short } = await t.createToken(caller, {
      name: "short-lived",
      scopes: ["token:*"],
      expiresAt: hour,
    });
    const { token: lasting, secret: lastingSecret } = await t.createToken(caller, {
      name: "lasting",
      scopes: ["token:read"],
      expiresAt: null,
    });
    const { token: broad, secret: broadSecret } = await t.createToken(caller, { name: "broad" });
    const as = { token: short };
    const refused = async (res: Response) => {
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("scope_exceeds_caller");
    };
    // A longer-lived token's secret, directly or after narrowing it.
    await refused(
      await t.request(`/api/v1/tokens/${lasting.id}/regenerate`, { method: "POST", as }),
    );
    await refused(
      await t.request(`/api/v1/tokens/${broad.id}`, {
        method: "PATCH",
        as,
        body: { scopes: ["token:read"] },
      }),
    );
    // Disabling is fine; switching back on, alone or in bulk, is not.
    const off = await t.request(`/api/v1/tokens/${broad.id}`, {
      method: "PATCH",
      as,
      body: { status: "disabled" },
    });
    expect(off.status).toBe(200);
    await refused(
      await t.request(`/api/v1/tokens/${broad.id}`, {
        method: "PATCH",
        as,
        body: { status: "enabled" },
      }),
    );
    await refused(
      await t.request("/api/v1/tokens/bulk", {
        method: "POST",
        as,
        body: { action: "enable", ids: [broad.id] },
      }),
    );
    expect((await t.request("/api/v1/me", { as: { token: broadSecret } })).status).toBe(401);
    const bulkOff = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as,
      body: { action: "disable", ids: [lasting.id] },
    });
    expect(bulkOff.status).toBe(200);
    expect((await t.request("/api/v1/me", { as: { token: lastingSecret } })).status).toBe(401);
  });

  it("refuses an Admin the secret of an Owner's token, and leaves it working", async () => {
    const ownerUser = await t.createUser("owner");
    const { token, secret } = await t.createToken(await t.login(ownerUser), { name: "owner's" });
    const admin = await t.login(await t.createUser("admin"));
    const res = await t.request(`/api/v1/tokens/${token.id}/regenerate`, {
      method: "POST",
      as: admin,
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("permissions_exceed_caller");
    expect((await t.request("/api/v1/me", { as: { token: secret } })).status).toBe(200);
    // Disabling it, which hands out nothing, stays an Admin's to do.
    const disabled = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: admin,
      body: { status: "disabled" },
    });
    expect(disabled.status).toBe(200);
  });

  it("404s an unknown or someone else's token, and needs a caller", async () => {
    const { caller } = await member();
    const { token } = await t.createToken((await member()).caller);
    expect(
      (await t.request(`/api/v1/tokens/${token.id}/regenerate`, { method: "POST", as: caller }))
        .status,
    ).toBe(404);
    expect(
      (
        await t.request("/api/v1/tokens/tok_0000000000000000/regenerate", {
          method: "POST",
          as: caller,
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.request(`/api/v1/tokens/${token.id}/regenerate`, { method: "POST" })).status,
    ).toBe(401);
  });
});
