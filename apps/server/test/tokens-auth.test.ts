// Authenticating API requests with `Authorization: Bearer kw_…`: effective rights, refusals,
// the verification cache and its invalidation, and batched last-used writes.
import { createDb } from "@keyward/db/client";
import { sql } from "@keyward/db/kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LastUsedRecorder, REPEAT_USE_INTERVAL_MS } from "../src/auth/last-used.ts";
import { loadTokenRecords } from "../src/auth/token-auth.ts";
import { base62Checksum } from "../src/lib/token-secret.ts";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

/** A well-formed secret (valid checksum) for whatever body is given. */
const withChecksum = (body: string) => body + base62Checksum(body);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // On postgres the cache only switches on once the LISTEN connection is up.
  await t.deps.invalidation.ready();
});
afterAll(() => t.close());

let admin: Awaited<ReturnType<TestApp["login"]>> | undefined;

/** A user with a token. Roles without token self-service get theirs from an admin. */
async function tokenFor(role = "member", input = {}) {
  const user = await t.createUser(role);
  const caller = await t.login(user);
  const selfService = role === "member" || role === "admin" || role === "owner";
  admin ??= await t.login(await t.createUser("admin"));
  const created = selfService
    ? await t.createToken(caller, input)
    : await t.createToken(admin, { ...input, userId: user.id });
  return { user, caller, ...created, as: { token: created.secret } };
}

describe("Bearer authentication", () => {
  it("authenticates as the token's owner with the owner's role", async () => {
    const { user, token, as } = await tokenFor("auditor");
    const res = await t.request("/api/v1/me", { as });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: user.id,
      authMethod: "token",
      role: { name: "Auditor" },
    });
    const audit = await t.request("/api/v1/audit?limit=1", { as });
    expect(audit.status).toBe(200);
    expect(token.scopes).toEqual(["all"]);
  });

  it("skips CSRF for Bearer writes (no ambient credentials)", async () => {
    const { as } = await tokenFor();
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as,
      body: { name: "via bearer" },
    });
    expect(res.status).toBe(201);
  });

  it("refuses a malformed or bad-checksum token with 401 invalid_token without any database query", async () => {
    const { secret } = await tokenFor();
    const lastChar = secret.at(-1) === "a" ? "b" : "a";
    const tampered = [
      "kw_nonsense",
      `${secret.slice(0, -1)}${lastChar}`, // checksum no longer matches
      `${secret.slice(0, 20)}${secret[20] === "a" ? "b" : "a"}${secret.slice(21)}`, // random part altered
      secret.replace("kw_", "kx_"),
      "Basic dXNlcjpwYXNz",
    ];
    for (const [i, value] of tampered.entries()) {
      const before = t.queryCount();
      const res = await t.request("/api/v1/me", {
        headers: {
          authorization: value.startsWith("Basic") ? value : `Bearer ${value}`,
          "x-forwarded-for": `10.77.0.${i}`,
        },
      });
      expect(res.status, value).toBe(401);
      expect(await errorCode(res)).toBe("invalid_token");
      expect(res.headers.get("www-authenticate")).toContain("invalid_token");
      expect(t.queryCount(), value).toBe(before);
    }
  });

  it("answers a warm token request from the cache, with no database query", async () => {
    const { as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    const before = t.queryCount();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    expect(t.queryCount()).toBe(before);
  });

  it("checks a wrong secret for a cached token against a fresh read, without un-warming the token", async () => {
    const { secret, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    const wrong = withChecksum(`${secret.slice(0, 20)}${"Z".repeat(43)}`);
    let before = t.queryCount();
    const refused = await t.request("/api/v1/me", { as: { token: wrong } });
    expect(refused.status).toBe(401);
    expect(t.queryCount() - before).toBe(1);
    before = t.queryCount();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    expect(t.queryCount()).toBe(before);
  });

  it("reads the tokens of cache misses arriving together with one query", async () => {
    const tokens = await Promise.all(Array.from({ length: 12 }, () => tokenFor()));
    const [revoked, ...rest] = tokens;
    if (!revoked) throw new Error("no tokens");
    await t.db.db.deleteFrom("api_tokens").where("id", "=", revoked.token.id).execute();
    t.deps.tokenCache.invalidateAll();
    const wrongSecret = `${rest[0]?.secret.slice(0, 19)}_${"A".repeat(43)}`;
    const before = t.queryCount();
    const answers = await Promise.all([
      ...rest.map((x) => t.request("/api/v1/me", { as: x.as })),
      t.request("/api/v1/me", { as: revoked.as }),
      t.request("/api/v1/me", { as: { token: withChecksum(wrongSecret) } }),
    ]);
    expect(t.queryCount() - before).toBe(1);
    expect(answers.map((r) => r.status)).toEqual([...rest.map(() => 200), 401, 401]);
    const ids = await Promise.all(answers.slice(0, rest.length).map((r) => r.json()));
    expect(ids.map((me) => (me as { id: string }).id)).toEqual(rest.map((x) => x.user.id));
  });

  it.runIf(process.env.KEYWARD_TEST_DB === "postgres")(
    "reads token records with one statement prepared once per connection, whatever the batch size",
    async () => {
      const tokens = await Promise.all(Array.from({ length: 3 }, () => tokenFor()));
      const ids = tokens.map((x) => x.token.id);
      const url = t.db.url ?? "";
      // One connection, so the statements it has prepared can be read back from it.
      const single = await createDb({ databaseUrl: url, poolSize: 1 });
      try {
        const first = await loadTokenRecords(single.db, ids.slice(0, 1));
        const all = await loadTokenRecords(single.db, ids);
        expect([...first.keys()]).toEqual(ids.slice(0, 1));
        expect([...all.keys()].sort()).toEqual([...ids].sort());
        const prepared = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements`.execute(single.db);
        expect(prepared.rows.map((row) => row.name)).toEqual(["token-records"]);
        expect(prepared.rows[0]?.statement).toContain("= any(");
      } finally {
        await single.close();
      }
    },
  );

  it("refuses an unknown token id (well-formed, checksum fine) as 401", async () => {
    const { secret } = await tokenFor();
    await t.db.db
      .deleteFrom("api_tokens")
      .where("id", "=", `tok_${secret.slice(3, 19)}`)
      .execute();
    t.deps.tokenCache.invalidateAll();
    const res = await t.request("/api/v1/me", { as: { token: secret } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("invalid_token");
  });

  it("makes an address that keeps presenting bad tokens wait before its next database read", async () => {
    const warm = await tokenFor();
    const cold = await tokenFor();
    expect((await t.request("/api/v1/me", { as: warm.as })).status).toBe(200);
    const from = { "x-forwarded-for": "10.78.0.1" };
    // Malformed text costs no database work: always a plain 401, but each one counts.
    for (let i = 0; i < 25; i++) {
      const res = await t.request("/api/v1/me", {
        headers: { authorization: `Bearer kw_bad${i}`, ...from },
      });
      expect(res.status).toBe(401);
    }
    // A well-formed token the cache has not seen would need a read: refused until the wait ends.
    const unknown = withChecksum(`kw_${"Z".repeat(16)}_${"Q".repeat(43)}`);
    const limited = await t.request("/api/v1/me", {
      headers: { authorization: `Bearer ${unknown}`, ...from },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await t.request("/api/v1/me", { as: cold.as, headers: from })).status).toBe(429);
    // A token already verified needs no read and works at once; other addresses are untouched.
    expect((await t.request("/api/v1/me", { as: warm.as, headers: from })).status).toBe(200);
    expect((await t.request("/api/v1/me", { as: cold.as })).status).toBe(200);
  });

  it("does not let a bearer token fall back to the session cookie when the token is bad", async () => {
    const { caller } = await tokenFor();
    const res = await t.request("/api/v1/me", {
      as: caller,
      headers: { authorization: "Bearer kw_bad" },
    });
    expect(res.status).toBe(401);
  });
});

describe("a refused token is a 401 on every method", () => {
  it("malformed, unknown and disabled tokens on writes and reads", async () => {
    const { caller, token, as } = await tokenFor();
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "disabled" },
    });
    const refused = [
      { token: "kw_nope" },
      { token: withChecksum(`kw_${"Z".repeat(16)}_${"Q".repeat(43)}`) },
      as,
    ];
    const writes = [
      ["POST", "/api/v1/tokens", { name: "from a refused token" }],
      ["PATCH", `/api/v1/tokens/${token.id}`, { name: "renamed by a refused token" }],
      ["DELETE", `/api/v1/tokens/${token.id}`, undefined],
      ["POST", "/api/v1/tokens/bulk", { action: "delete", ids: [token.id] }],
      ["GET", "/api/v1/tokens", undefined],
    ] as const;
    for (const presented of refused) {
      for (const [method, path, body] of writes) {
        const res = await t.request(path, { method, as: presented, body });
        expect(res.status, `${method} ${path} as ${presented.token.slice(0, 12)}…`).toBe(401);
        expect(await errorCode(res)).toBe("invalid_token");
      }
    }
    const stored = await t.db.db
      .selectFrom("api_tokens")
      .select("name")
      .where("id", "=", token.id)
      .executeTakeFirst();
    expect(stored?.name).toBe(token.name);
  });
});

describe("refusals take effect on the very next request, cache or not", () => {
  it("disabled token", async () => {
    const { caller, token, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    const off = await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "disabled" },
    });
    expect(off.status).toBe(200);
    const res = await t.request("/api/v1/me", { as });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /disabled/,
    );
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "enabled" },
    });
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
  });

  it("deleted token", async () => {
    const { caller, token, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    expect(
      (await t.request(`/api/v1/tokens/${token.id}`, { method: "DELETE", as: caller })).status,
    ).toBe(204);
    expect((await t.request("/api/v1/me", { as })).status).toBe(401);
  });

  it("regenerated token: the old secret is dead, the new one works", async () => {
    const { caller, token, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    const res = await t.request(`/api/v1/tokens/${token.id}/regenerate`, {
      method: "POST",
      as: caller,
    });
    const { secret } = (await res.json()) as { secret: string };
    expect((await t.request("/api/v1/me", { as })).status).toBe(401);
    expect((await t.request("/api/v1/me", { as: { token: secret } })).status).toBe(200);
  });

  it("bulk-disabled token", async () => {
    const { caller, token, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    await t.request("/api/v1/tokens/bulk", {
      method: "POST",
      as: caller,
      body: { action: "disable", ids: [token.id] },
    });
    expect((await t.request("/api/v1/me", { as })).status).toBe(401);
  });

  it("expired token (no invalidation needed: expiry is checked on every use)", async () => {
    const { token, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    await t.db.db
      .updateTable("api_tokens")
      .set({ expires_at: new Date(Date.now() + 300) })
      .where("id", "=", token.id)
      .execute();
    t.deps.tokenCache.invalidateTokens([token.id]);
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 350));
    const res = await t.request("/api/v1/me", { as });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });

  it("disabled owner, and back", async () => {
    const { user, as } = await tokenFor();
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
    await t.setUserStatus(user.id, "disabled");
    const res = await t.request("/api/v1/me", { as });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/owner/);
    await t.setUserStatus(user.id, "active");
    expect((await t.request("/api/v1/me", { as })).status).toBe(200);
  });
});

describe("effective rights: role ∩ scopes ∩ allow list", () => {
  it("a token never exceeds its owner's role, whatever its scopes", async () => {
    const { as } = await tokenFor("member", { scopes: ["all"] });
    const res = await t.request("/api/v1/audit", { as });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("forbidden");
  });

  it("a token without the scope is refused with insufficient_scope", async () => {
    const { as } = await tokenFor("owner", { scopes: ["token:read"] });
    const audit = await t.request("/api/v1/audit", { as });
    expect(audit.status).toBe(403);
    expect(await errorCode(audit)).toBe("insufficient_scope");
    expect((await t.request("/api/v1/tokens", { as })).status).toBe(200);
    const write = await t.request("/api/v1/tokens", {
      method: "POST",
      as,
      body: { name: "nope", scopes: ["token:read"] },
    });
    expect(await errorCode(write)).toBe("insufficient_scope");
  });

  it("a resource:* scope covers every action on that resource", async () => {
    const { as, token } = await tokenFor("member", { scopes: ["token:*"] });
    expect((await t.request(`/api/v1/tokens/${token.id}`, { as })).status).toBe(200);
    expect(
      (
        await t.request(`/api/v1/tokens/${token.id}`, {
          method: "PATCH",
          as,
          body: { description: "self-edit" },
        })
      ).status,
    ).toBe(200);
  });

  it("an allow list hides everything not on it: other tokens 404, other kinds 403", async () => {
    const user = await t.createUser("owner");
    const caller = await t.login(user);
    const a = await t.createToken(caller, { name: "a" });
    const b = await t.createToken(caller, { name: "b" });
    const pinned = await t.createToken(caller, { name: "pinned", allow: [`token:${a.token.id}`] });
    const as = { token: pinned.secret };
    expect((await t.request(`/api/v1/tokens/${a.token.id}`, { as })).status).toBe(200);
    const hidden = await t.request(`/api/v1/tokens/${b.token.id}`, { as });
    expect(hidden.status).toBe(404);
    expect(await errorCode(hidden)).toBe("token_not_found");
    const list = (await (await t.request("/api/v1/tokens", { as })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((i) => i.id)).toEqual([a.token.id]);
    const audit = await t.request("/api/v1/audit", { as });
    expect(audit.status).toBe(403);
    expect(await errorCode(audit)).toBe("resource_not_allowed");
    const patch = await t.request(`/api/v1/tokens/${b.token.id}`, {
      method: "PATCH",
      as,
      body: { status: "disabled" },
    });
    expect(patch.status).toBe(404);
  });

  it("follows a role change of the owner on the next request", async () => {
    const { user, as } = await tokenFor("member");
    expect((await t.request("/api/v1/tokens", { as })).status).toBe(200);
    await t.db.db
      .updateTable("users")
      .set({ role_id: "rol_guest" })
      .where("id", "=", user.id)
      .execute();
    t.deps.invalidation.apply({ kind: "user", userId: user.id });
    expect((await t.request("/api/v1/tokens", { as })).status).toBe(403);
  });
});

describe("last used", () => {
  it("records time, address and user agent in batches, not on the request path", async () => {
    const { caller, token, as } = await tokenFor();
    const writesBefore = t.queryCount();
    await t.request("/api/v1/me", {
      as,
      headers: { "x-forwarded-for": "203.0.113.9", "user-agent": "deploy-bot/1.0" },
    });
    // Warmed by create? No: the first Bearer request loads the token (one query), never a write.
    expect(t.queryCount() - writesBefore).toBeLessThanOrEqual(1);
    expect(t.deps.lastUsed.pendingCount).toBeGreaterThan(0);
    let got = (await (await t.request(`/api/v1/tokens/${token.id}`, { as: caller })).json()) as {
      lastUsedAt: string | null;
    };
    expect(got.lastUsedAt).toBeNull();
    await t.deps.lastUsed.flush();
    got = (await (await t.request(`/api/v1/tokens/${token.id}`, { as: caller })).json()) as {
      lastUsedAt: string | null;
    };
    expect(got).toMatchObject({ lastUsedIp: "203.0.113.9", lastUsedUserAgent: "deploy-bot/1.0" });
    expect(Date.now() - new Date(got.lastUsedAt ?? 0).getTime()).toBeLessThan(10_000);
  });

  it("flushes many tokens in one statement", async () => {
    const tokens = await Promise.all([1, 2, 3].map(() => tokenFor()));
    for (const { as } of tokens) await t.request("/api/v1/me", { as });
    await t.deps.lastUsed.flush();
    // The same statements for one token as for three: the lock timeout, then one UPDATE. (Each
    // round from another browser: a repeat of the last use within a minute is not written.)
    let round = 0;
    const queriesToFlush = async (uses: typeof tokens) => {
      round++;
      for (const { as } of uses)
        await t.request("/api/v1/me", { as, headers: { "user-agent": `round/${round}` } });
      expect(t.deps.lastUsed.pendingCount).toBe(uses.length);
      const before = t.queryCount();
      await t.deps.lastUsed.flush();
      return t.queryCount() - before;
    };
    expect(await queriesToFlush(tokens.slice(0, 1))).toBe(2);
    expect(await queriesToFlush(tokens)).toBe(2);
  });

  it("writes a repeat of a token's last use only after a minute, and a new address or browser at once", async () => {
    const { caller, token } = await tokenFor();
    let now = Date.now();
    const recorder = new LastUsedRecorder(t.db.db, t.deps.logger, 5000, () => now);
    const stored = async () =>
      (await (await t.request(`/api/v1/tokens/${token.id}`, { as: caller })).json()) as {
        lastUsedAt: string | null;
        lastUsedIp: string | null;
        lastUsedUserAgent: string | null;
      };
    const firstUse = now;
    recorder.record(token.id, "203.0.113.1", "bot/1");
    await recorder.flush();
    expect(await stored()).toMatchObject({
      lastUsedAt: new Date(firstUse).toISOString(),
      lastUsedIp: "203.0.113.1",
      lastUsedUserAgent: "bot/1",
    });

    // The same address and browser within the minute: nothing to write.
    now += REPEAT_USE_INTERVAL_MS - 1;
    recorder.record(token.id, "203.0.113.1", "bot/1");
    expect(recorder.pendingCount).toBe(0);
    const queries = t.queryCount();
    await recorder.flush();
    expect(t.queryCount()).toBe(queries);
    expect((await stored()).lastUsedAt).toBe(new Date(firstUse).toISOString());

    // Another browser, or another address, is written at the next flush.
    recorder.record(token.id, "203.0.113.1", "bot/2");
    expect(recorder.pendingCount).toBe(1);
    await recorder.flush();
    expect(await stored()).toMatchObject({ lastUsedIp: "203.0.113.1", lastUsedUserAgent: "bot/2" });
    now += 1000;
    recorder.record(token.id, "198.51.100.4", "bot/2");
    await recorder.flush();
    expect(await stored()).toMatchObject({
      lastUsedAt: new Date(now).toISOString(),
      lastUsedIp: "198.51.100.4",
    });

    // A minute after the last written use, the same use is written again.
    const written = now;
    now += REPEAT_USE_INTERVAL_MS - 1;
    recorder.record(token.id, "198.51.100.4", "bot/2");
    expect(recorder.pendingCount).toBe(0);
    now = written + REPEAT_USE_INTERVAL_MS;
    recorder.record(token.id, "198.51.100.4", "bot/2");
    expect(recorder.pendingCount).toBe(1);
    await recorder.flush();
    expect((await stored()).lastUsedAt).toBe(new Date(now).toISOString());
  });

  it.runIf(process.env.KEYWARD_TEST_DB === "postgres")(
    "never waits on a row another write holds: it keeps that use for the next flush",
    async () => {
      const { caller, token, as } = await tokenFor();
      const other = await tokenFor();
      const lastUserAgent = async (of = { caller, token }) =>
        (
          (await (await t.request(`/api/v1/tokens/${of.token.id}`, { as: of.caller })).json()) as {
            lastUsedUserAgent: string | null;
          }
        ).lastUsedUserAgent;
      // Flushes while another transaction holds a row of `table` for update: "waited" if the
      // flush did not finish within 5 s.
      const flushWhileHolding = (table: "api_tokens" | "api_token_usage") =>
        t.db.db.transaction().execute(async (trx) => {
          const key = table === "api_tokens" ? "id" : "token_id";
          await sql`select 1 from ${sql.table(table)} where ${sql.ref(key)} = ${token.id} for update`.execute(
            trx,
          );
          const waited = new Promise<"waited">((resolve) => setTimeout(resolve, 5000, "waited"));
          return Promise.race([t.deps.lastUsed.flush().then(() => "flushed"), waited]);
        });

      // An administrator's write holds the token's row (a bulk action does, for its whole
      // transaction): last use lives in another table, so it is written all the same.
      await t.request("/api/v1/me", { as, headers: { "user-agent": "beside/1.0" } });
      expect(await flushWhileHolding("api_tokens")).toBe("flushed");
      expect(t.deps.lastUsed.pendingCount).toBe(0);
      expect(await lastUserAgent()).toBe("beside/1.0");

      // A write that holds the usage row itself (deleting the token does): skipped, kept; the
      // other token flushed with it is written.
      await t.request("/api/v1/me", { as, headers: { "user-agent": "held/1.0" } });
      await t.request("/api/v1/me", { as: other.as, headers: { "user-agent": "free/1.0" } });
      expect(await flushWhileHolding("api_token_usage")).toBe("flushed");
      expect(t.deps.lastUsed.pendingCount).toBe(1);
      expect(await lastUserAgent(other)).toBe("free/1.0");
      await t.deps.lastUsed.flush();
      expect(await lastUserAgent()).toBe("held/1.0");
    },
  );
});

describe.runIf(process.env.KEYWARD_TEST_DB === "postgres")("several server processes", () => {
  it("a change made through one process is refused by another within moments (LISTEN/NOTIFY)", async () => {
    const other = await createTestApp({}, { sameDatabaseAs: t });
    try {
      await other.deps.invalidation.ready();
      const { caller, token, as } = await tokenFor();
      expect((await other.request("/api/v1/me", { as })).status).toBe(200);
      expect(other.deps.tokenCache.get(token.id)).toBeDefined();
      await t.request(`/api/v1/tokens/${token.id}`, {
        method: "PATCH",
        as: caller,
        body: { status: "disabled" },
      });
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 3000) {
        status = (await other.request("/api/v1/me", { as })).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 5));
      }
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await other.close();
    }
  });
});
