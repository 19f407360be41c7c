import { MAX_BULK_IDS } from "@keyward/contracts/tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function member() {
  const user = await t.createUser("member");
  return { user, caller: await t.login(user) };
}

async function statuses(ids: string[]) {
  const rows = await t.db.db
    .selectFrom("api_tokens")
    .select(["id", "status"])
    .where("id", "in", ids)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

describe("POST /api/v1/tokens/bulk", () => {
  it("disables and enables many tokens, answering what changed and what already was", async () => {
    const { caller } = await member();
    const a = (await t.createToken(caller)).token.id;
    const b = (await t.createToken(caller)).token.id;
    const c = (await t.createToken(caller, { enabled: false })).token.id;
    const res = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: caller,
      body: { action: "disable", ids: [a, b, c, a] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { action: string; changed: string[]; unchanged: string[] };
    expect(body.action).toBe("disable");
    expect(body.changed.sort()).toEqual([a, b].sort());
    expect(body.unchanged).toEqual([c]);
    expect(await statuses([a, b, c])).toEqual({
      [a]: "disabled",
      [b]: "disabled",
      [c]: "disabled",
    });
    const on = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: caller,
      body: { action: "enable", ids: [a, c] },
    });
    expect(((await on.json()) as { changed: string[] }).changed.sort()).toEqual([a, c].sort());
    expect(await statuses([a, b, c])).toEqual({ [a]: "enabled", [b]: "disabled", [c]: "enabled" });
  });

  it("deletes many tokens and writes one audit row per token in the same transaction", async () => {
    const { user, caller } = await member();
    const ids = [(await t.createToken(caller)).token.id, (await t.createToken(caller)).token.id];
    const res = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: caller,
      body: { action: "delete", ids },
    });
    expect(res.status).toBe(200);
    expect(await statuses(ids)).toEqual({});
    const audit = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "in", ids)
      .where("action", "=", "token.delete")
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      actor_id: user.id,
      target_type: "token",
      details: { bulk: true, requested: 2 },
    });
  });

  it("lets an admin act on everyone's tokens", async () => {
    const ids = [
      (await t.createToken((await member()).caller)).token.id,
      (await t.createToken((await member()).caller)).token.id,
    ];
    const admin = await t.login(await t.createUser("admin"));
    const res = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: admin,
      body: { action: "disable", ids },
    });
    expect(res.status).toBe(200);
    expect(Object.values(await statuses(ids))).toEqual(["disabled", "disabled"]);
  });

  it(`handles ${MAX_BULK_IDS} ids in one request, all or nothing`, async () => {
    const { user, caller } = await member();
    const now = new Date();
    // Inserted straight into the table: 10,000 creates through the API would only slow the test.
    const idPrefix = `tok_${user.id.slice(4, 8)}`;
    const rows = Array.from({ length: MAX_BULK_IDS }, (_, i) => ({
      id: `${idPrefix}${String(i).padStart(12, "0")}`,
      user_id: user.id,
      user_name: user.username,
      created_by: user.id,
      created_by_name: user.username,
      name: `bulk-${i}`,
      secret_hash: Buffer.alloc(32),
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 2000)
      await t.db.db
        .insertInto("api_tokens")
        .values(rows.slice(i, i + 2000))
        .execute();
    const ids = rows.map((r) => r.id);
    const res = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: caller,
      body: { action: "disable", ids },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { changed: string[] }).changed).toHaveLength(MAX_BULK_IDS);
    const counted = await t.db.db
      .selectFrom("api_tokens")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", user.id)
      .where("status", "=", "disabled")
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(MAX_BULK_IDS);
  });
});

describe("POST /api/v1/tokens/bulk: bad input", () => {
  it("refuses an unknown action, no ids, and more than the maximum", async () => {
    const { caller } = await member();
    const tooMany = Array.from({ length: MAX_BULK_IDS + 1 }, (_, i) => `tok_${i}`);
    for (const body of [
      { action: "explode", ids: ["tok_x"] },
      { action: "disable", ids: [] },
      { action: "disable" },
      { action: "disable", ids: tooMany },
    ]) {
      const res = await t.request("/api/v1/tokens/bulk", { method: "POST", as: caller, body });
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("validation_failed");
    }
  });
});

describe("POST /api/v1/tokens/bulk: security", () => {
  it("changes nothing (404) when any id is unknown or someone else's", async () => {
    const { caller } = await member();
    const mine = (await t.createToken(caller)).token.id;
    const theirs = (await t.createToken((await member()).caller)).token.id;
    for (const ids of [
      [mine, theirs],
      [mine, "tok_doesnotexist0000"],
    ]) {
      const res = await t.request("/api/v1/tokens/bulk", {
        method: "POST",
        as: caller,
        body: { action: "disable", ids },
      });
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: { code: string; issues: { path: unknown[] }[] } };
      expect(body.error.code).toBe("token_not_found");
      expect(body.error.issues.map((i) => i.path)).toEqual([["ids", 1]]);
    }
    expect(await statuses([mine, theirs])).toEqual({ [mine]: "enabled", [theirs]: "enabled" });
    const deleted = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: caller,
      body: { action: "delete", ids: [mine, theirs] },
    });
    expect(deleted.status).toBe(404);
    expect(Object.keys(await statuses([mine, theirs]))).toHaveLength(2);
  });

  it("changes nothing (403) when the caller may see but not change a token", async () => {
    const id = (await t.createToken((await member()).caller)).token.id;
    const auditor = await t.login(await t.createUser("auditor"));
    const res = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: auditor,
      body: { action: "disable", ids: [id] },
    });
    expect(res.status).toBe(403);
    expect(await statuses([id])).toEqual({ [id]: "enabled" });
  });

  it("needs a caller, the CSRF token, and the right scope for a token caller", async () => {
    const { caller } = await member();
    const { token, secret } = await t.createToken(caller, { scopes: ["token:update"] });
    expect(
      (
        await t.request("/api/v1/tokens/bulk", {
          method: "POST",
          body: { action: "disable", ids: [token.id] },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await t.request("/api/v1/tokens/bulk", {
          method: "POST",
          as: caller,
          headers: { "x-csrf-token": "x" },
          body: { action: "disable", ids: [token.id] },
        })
      ).status,
    ).toBe(403);
    const del = await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: { token: secret },
      body: { action: "delete", ids: [token.id] },
    });
    expect(del.status).toBe(403);
    expect(await errorCode(del)).toBe("insufficient_scope");
  });
});
