// Issue #7.1: the database goes away under traffic and comes back. A real server process over a
// throwaway PostgreSQL cluster that this file stops and starts (never the shared one). While the
// database is down every answer that needs it is a prompt 503 in the error envelope, health says
// so, no cached "valid" is served (docs/decisions/0011), nothing is half written, and the same
// process recovers by itself once the database is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  createCluster,
  http,
  login,
  type ServerProcess,
  startServer,
  waitFor,
} from "./support.ts";

const onPostgres = process.env.KEYWARD_TEST_DB === "postgres";

/** Longest any request may take while the database is down (issue: "no hang past a few seconds"). */
const PROMPT_MS = 5000;

interface Sample {
  started: number;
  ended: number;
  status: number;
  valid?: boolean;
  code?: string;
}

describe.skipIf(!onPostgres)("PostgreSQL stops under traffic, then comes back", () => {
  let cluster: Cluster | undefined;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    cluster = await createCluster();
    await cluster.start();
    server = await startServer({ databaseUrl: cluster.url });
  });

  afterAll(async () => {
    await server?.stop();
    await cluster?.destroy();
  });

  it("answers 503 promptly while down, never a cached valid, writes nothing, and recovers", async () => {
    if (!server || !cluster) throw new Error("setup failed");
    const base = server.url;
    const admin = await login(base);
    const created = await http(base, "/api/v1/tokens", {
      method: "POST",
      session: admin,
      body: { name: "under-traffic" },
    });
    expect(created.status).toBe(201);
    const { token, secret } = created.body as { token: { id: string }; secret: string };

    // Warm: the token is in this process's cache (the listener is connected).
    await waitFor("a warm, cached token answer", async () => {
      const me = await http(base, "/api/v1/me", { token: secret });
      return me.status === 200;
    });

    // Traffic: token requests and verifications, back to back, for the whole episode.
    const samples: Sample[] = [];
    let traffic = true;
    const worker = async (kind: "me" | "verify") => {
      while (traffic) {
        const started = Date.now();
        try {
          const res =
            kind === "me"
              ? await http(base, "/api/v1/me", { token: secret })
              : await http(base, "/api/v1/tokens/verify", {
                  method: "POST",
                  body: { token: secret },
                });
          const body = res.body as { valid?: boolean; error?: { code?: string } };
          samples.push({
            started,
            ended: Date.now(),
            status: res.status,
            valid: body.valid,
            code: body.error?.code,
          });
        } catch (error) {
          samples.push({ started, ended: Date.now(), status: -1, code: String(error) });
        }
      }
    };
    const workers = [worker("me"), worker("me"), worker("verify"), worker("verify")];

    await new Promise((r) => setTimeout(r, 300));
    await cluster.stop();
    const downAt = Date.now();

    // Health says so.
    const health = await http(base, "/api/v1/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: "unavailable", database: "down" });
    expect(health.ms).toBeLessThan(PROMPT_MS);

    // Every kind of call answers 503 with the envelope, promptly.
    const calls = [
      http(base, "/api/v1/me", { token: secret }),
      http(base, "/api/v1/tokens/verify", { method: "POST", body: { token: secret } }),
      http(base, "/api/v1/tokens", { session: admin }),
      http(base, `/api/v1/tokens/${token.id}`, {
        method: "PATCH",
        session: admin,
        body: { status: "disabled", description: "changed while down" },
      }),
      http(base, "/api/v1/tokens", {
        method: "POST",
        session: admin,
        body: { name: "created-while-down" },
      }),
      http(base, `/api/v1/tokens/${token.id}/regenerate`, { method: "POST", session: admin }),
      http(base, "/api/v1/auth/login", {
        method: "POST",
        body: { username: "owner", password: "whatever-it-is" },
      }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body).toMatchObject({
        error: { code: "service_unavailable", message: expect.any(String) },
      });
      expect(res.ms).toBeLessThan(PROMPT_MS);
    }
    // Keep the outage going for a while under traffic (the listener keeps retrying meanwhile).
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.exitCode).toBeUndefined();

    // Until this moment the database was certainly down.
    const upAt = Date.now();
    await cluster.start();
    await waitFor("health to answer 200 again", async () => {
      return (await http(base, "/api/v1/health")).status === 200;
    });
    await waitFor("the token to work again", async () => {
      return (await http(base, "/api/v1/me", { token: secret })).status === 200;
    });
    traffic = false;
    await Promise.all(workers);
    expect(server.exitCode).toBeUndefined();

    // Nothing that was refused was half written.
    const after = await http(base, `/api/v1/tokens/${token.id}`, { session: admin });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: "enabled", description: "" });
    const list = await http(base, "/api/v1/tokens?name=created-while-down", { session: admin });
    expect(list.body).toMatchObject({ items: [] });
    const verify = await http(base, "/api/v1/tokens/verify", {
      method: "POST",
      body: { token: secret },
    });
    expect(verify.body).toMatchObject({ valid: true, tokenId: token.id });

    // The traffic: nothing but 200 and 503, never a valid answer between stop and start, and
    // no request that hung.
    const during = samples.filter((s) => s.started >= downAt && s.ended <= upAt);
    expect(during.length).toBeGreaterThan(10);
    for (const s of during) {
      expect(s.status, JSON.stringify(s)).toBe(503);
      expect(s.code).toBe("service_unavailable");
      expect(s.valid).toBeUndefined();
    }
    for (const s of samples) {
      expect([200, 503], JSON.stringify(s)).toContain(s.status);
      expect(s.ended - s.started, JSON.stringify(s)).toBeLessThan(PROMPT_MS);
    }
  });
});
