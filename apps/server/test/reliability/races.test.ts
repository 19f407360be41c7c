// Issue #7.3: races. Run twice where possible: through the in-process harness (both engines), and
// on PostgreSQL also against a real server process over HTTP.
//  - regenerate while 100 concurrent requests use the token: once regenerate has returned, not
//    one request sent with the old secret succeeds;
//  - concurrent creates with the same name: exactly one token;
//  - a bulk action racing edits: the final state is what the last committed change says, the
//    audit log tells the same story, and verification agrees with the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../harness.ts";
import { http, login, type ServerProcess, startServer } from "./support.ts";

type Session = { cookie: string; csrf: string };
interface CallInit {
  method?: string;
  body?: unknown;
  session?: Session;
  token?: string;
}
interface Answer {
  status: number;
  body: unknown;
}

/** Somewhere to send API calls: the in-process app, or a real server process. */
interface Target {
  call(path: string, init?: CallInit): Promise<Answer>;
  admin: Session;
  close(): Promise<void>;
}

let addressCounter = 0;
/** A distinct client address per token request, so refusals never trip the per-address limiter. */
const nextAddress = () => {
  const n = addressCounter++;
  return `10.${50 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
};

async function harnessTarget(): Promise<Target> {
  const t: TestApp = await createTestApp();
  await t.deps.invalidation.ready();
  const admin = await t.login(await t.createUser("admin"));
  return {
    admin,
    async call(path, init = {}) {
      const res = await t.request(path, {
        method: init.method ?? "GET",
        body: init.body,
        as: init.token ? { token: init.token } : init.session,
        headers: { "x-forwarded-for": nextAddress() },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    close: () => t.close(),
  };
}

async function processTarget(): Promise<Target> {
  const { createTestDb } = await import("@keyward/db/test-db");
  const db = await createTestDb();
  let server: ServerProcess | undefined;
  try {
    server = await startServer({
      databaseUrl: db.url as string,
      env: { KEYWARD_TRUST_PROXY: "1" },
    });
    const base = server.url;
    return {
      admin: await login(base),
      async call(path, init = {}) {
        const res = await http(base, path, {
          ...init,
          headers: { "x-forwarded-for": nextAddress() },
        });
        return { status: res.status, body: res.body };
      },
      async close() {
        await server?.stop();
        await db.drop();
      },
    };
  } catch (error) {
    await server?.stop();
    await db.drop();
    throw error;
  }
}

const targets: [string, () => Promise<Target>][] = [["in-process app", harnessTarget]];
if (process.env.KEYWARD_TEST_DB === "postgres") targets.push(["server process", processTarget]);

describe.each(targets)("races (%s)", (_name, makeTarget) => {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(async () => {
    await target?.close();
  });

  function tgt(): Target {
    if (!target) throw new Error("setup failed");
    return target;
  }

  async function createToken(name: string) {
    const res = await tgt().call("/api/v1/tokens", {
      method: "POST",
      session: tgt().admin,
      body: { name },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { token: { id: string; name: string }; secret: string };
  }

  it("regenerate under 100 concurrent requests: no request sent after it returned gets in with the old secret", async () => {
    const { token, secret } = await createToken(`busy-${Date.now().toString(36)}`);
    const samples: { started: number; status: number }[] = [];
    let regeneratedAt = Number.POSITIVE_INFINITY;
    let stopAfter = Number.POSITIVE_INFINITY;
    const deadline = Date.now() + 20_000; // a failing run must not spin forever
    const worker = async () => {
      while (samples.length < stopAfter && Date.now() < deadline) {
        const started = performance.now();
        const res = await tgt().call("/api/v1/me", { token: secret });
        samples.push({ started, status: res.status });
        // A cached in-process answer needs no I/O at all: let timers and other callers run.
        await new Promise((r) => setImmediate(r));
      }
    };
    const workers = Array.from({ length: 100 }, worker);

    // Let the old secret be used (and cached) under load, then regenerate in the middle of it.
    while (samples.length < 300) await new Promise((r) => setTimeout(r, 2));
    const res = await tgt().call(`/api/v1/tokens/${token.id}/regenerate`, {
      method: "POST",
      session: tgt().admin,
    });
    regeneratedAt = performance.now();
    expect(res.status).toBe(200);
    // Keep the 100 requests going until at least 300 more were answered after the return.
    stopAfter = samples.length + 300;
    await Promise.all(workers);

    const before = samples.filter((s) => s.started < regeneratedAt);
    const after = samples.filter((s) => s.started > regeneratedAt);
    expect(before.filter((s) => s.status === 200).length).toBeGreaterThan(100);
    expect(after.length).toBeGreaterThanOrEqual(200);
    expect(after.filter((s) => s.status !== 401)).toEqual([]);
    for (const s of samples) expect([200, 401]).toContain(s.status);

    const fresh = (res.body as { secret: string }).secret;
    expect((await tgt().call("/api/v1/me", { token: fresh })).status).toBe(200);
    expect((await tgt().call("/api/v1/me", { token: secret })).status).toBe(401);
  });

  it("20 concurrent creates with the same name (in any case): exactly one token", async () => {
    const name = `deploy-${Date.now().toString(36)}`;
    const spellings = [name, name.toUpperCase(), `${name[0]?.toUpperCase()}${name.slice(1)}`];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        tgt().call("/api/v1/tokens", {
          method: "POST",
          session: tgt().admin,
          body: { name: spellings[i % spellings.length] },
        }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const a of refused) expect(a.body).toMatchObject({ error: { code: "token_name_taken" } });
    const list = await tgt().call(`/api/v1/tokens?name=${encodeURIComponent(name)}`, {
      session: tgt().admin,
    });
    expect(list.body).toMatchObject({ total: 1 });
    const { secret } = (created[0] as Answer).body as { secret: string };
    expect((await tgt().call("/api/v1/me", { token: secret })).status).toBe(200);
  });

  /** Every audit event about one token, oldest first (ids follow insertion, i.e. commit order). */
  async function auditOf(tokenId: string) {
    const res = await tgt().call(`/api/v1/audit?targetType=token&targetId=${tokenId}&limit=200`, {
      session: tgt().admin,
    });
    expect(res.status).toBe(200);
    const items = (
      res.body as {
        items: { id: string; action: string; details: Record<string, unknown> }[];
      }
    ).items;
    return items.sort((x, y) => Number(x.id) - Number(y.id));
  }

  /** The status the audit trail says the token ended up with. */
  function replayStatus(events: Awaited<ReturnType<typeof auditOf>>): string | undefined {
    let status: string | undefined;
    for (const e of events) {
      if (e.action === "token.create") status = e.details.status as string;
      else if (e.action === "token.enable") status = "enabled";
      else if (e.action === "token.disable") status = "disabled";
      else if (e.action === "token.update") {
        const change = (e.details.changes as { status?: { to: string } } | undefined)?.status;
        if (change) status = change.to;
      }
    }
    return status;
  }

  it("bulk disable racing edits: database, audit trail and verification agree", async () => {
    const run = Date.now().toString(36);
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createToken(`bulk-edit-${run}-${i}`)),
    );
    const ids = made.map((m) => m.token.id);
    // Warm every token into the cache, so a stale cached answer would show.
    for (const m of made)
      expect((await tgt().call("/api/v1/me", { token: m.secret })).status).toBe(200);
    // Enabled tokens; the bulk disables all of them while each is edited (re-enabled, described).
    const [bulk, ...edits] = await Promise.all([
      tgt().call("/api/v1/tokens/bulk", {
        method: "POST",
        session: tgt().admin,
        body: { action: "disable", ids },
      }),
      ...ids.map((id, i) =>
        tgt().call(`/api/v1/tokens/${id}`, {
          method: "PATCH",
          session: tgt().admin,
          body: { status: "enabled", description: `edit ${i}` },
        }),
      ),
    ]);
    expect(bulk?.status, JSON.stringify(bulk?.body)).toBe(200);
    const result = bulk?.body as { changed: string[]; unchanged: string[] };
    expect([...result.changed, ...result.unchanged].sort()).toEqual([...ids].sort());
    for (const e of edits) expect(e.status, JSON.stringify(e.body)).toBe(200);

    for (const [i, m] of made.entries()) {
      const row = await tgt().call(`/api/v1/tokens/${m.token.id}`, { session: tgt().admin });
      const token = row.body as { status: string; description: string };
      expect(token.description).toBe(`edit ${i}`);
      const events = await auditOf(m.token.id);
      expect(replayStatus(events), JSON.stringify(events)).toBe(token.status);
      // The bulk action changed this token exactly when the trail shows its disable.
      const disabledByBulk = events.some(
        (e) => e.action === "token.disable" && e.details.bulk === true,
      );
      expect(disabledByBulk).toBe(result.changed.includes(m.token.id));
      const verified = await tgt().call("/api/v1/tokens/verify", {
        method: "POST",
        body: { token: m.secret },
      });
      expect(verified.body).toMatchObject(
        token.status === "enabled" ? { valid: true } : { valid: false, reason: "disabled" },
      );
    }
  });

  it("bulk delete racing edits: every token is gone, nothing was edited after its deletion", async () => {
    const run = Date.now().toString(36);
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createToken(`bulk-delete-${run}-${i}`)),
    );
    const ids = made.map((m) => m.token.id);
    for (const m of made)
      expect((await tgt().call("/api/v1/me", { token: m.secret })).status).toBe(200);
    const [bulk, ...edits] = await Promise.all([
      tgt().call("/api/v1/tokens/bulk", {
        method: "POST",
        session: tgt().admin,
        body: { action: "delete", ids },
      }),
      ...ids.map((id, i) =>
        tgt().call(`/api/v1/tokens/${id}`, {
          method: "PATCH",
          session: tgt().admin,
          body: { status: "disabled", description: `edit ${i}` },
        }),
      ),
    ]);
    expect(bulk?.status, JSON.stringify(bulk?.body)).toBe(200);
    expect(((bulk as Answer).body as { changed: string[] }).changed.sort()).toEqual(
      [...ids].sort(),
    );
    for (const e of edits) expect([200, 404], JSON.stringify(e.body)).toContain(e.status);

    for (const m of made) {
      expect(
        (await tgt().call(`/api/v1/tokens/${m.token.id}`, { session: tgt().admin })).status,
      ).toBe(404);
      const actions = (await auditOf(m.token.id)).map((e) => e.action);
      expect(actions.at(-1)).toBe("token.delete");
      expect(actions.filter((a) => a === "token.delete")).toHaveLength(1);
      const verified = await tgt().call("/api/v1/tokens/verify", {
        method: "POST",
        body: { token: m.secret },
      });
      expect(verified.body).toMatchObject({ valid: false, reason: "unknown" });
      expect((await tgt().call("/api/v1/me", { token: m.secret })).status).toBe(401);
    }
  });
});
