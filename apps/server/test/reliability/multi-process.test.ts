// Issue #7.2: several server processes over one database. Two real processes on different ports,
// started at the same moment on the same fresh database; a change made through one is refused by
// the other on its next request, within 1 s, even though the other had the token cached.
import { createTestDb, type TestDb } from "@keyward/db/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, login, type ServerProcess, startServer, waitFor } from "./support.ts";

const onPostgres = process.env.KEYWARD_TEST_DB === "postgres";
const TARGET_MS = 1000;

type Session = Awaited<ReturnType<typeof login>>;

describe.skipIf(!onPostgres)("two server processes, one database", () => {
  let db: TestDb | undefined;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let adminA: Session;
  let adminB: Session;

  beforeAll(async () => {
    db = await createTestDb();
    const url = db.url as string;
    // Started together: both migrate and bootstrap the owner at once, and both must come up.
    // Behind a trusted proxy, so that a test can name the client address.
    const env = { KEYWARD_TRUST_PROXY: "1" };
    const started = await Promise.allSettled([
      startServer({ databaseUrl: url, env }),
      startServer({ databaseUrl: url, env }),
    ]);
    [a, b] = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    [adminA, adminB] = await Promise.all([login(base("a")), login(base("b"))]);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  function base(which: "a" | "b"): string {
    const server = which === "a" ? a : b;
    if (!server) throw new Error("setup failed");
    return server.url;
  }

  async function createToken(name: string, userId?: string) {
    const res = await http(base("a"), "/api/v1/tokens", {
      method: "POST",
      session: adminA,
      body: { name, ...(userId ? { userId } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { token: { id: string }; secret: string };
  }

  const verify = async (which: "a" | "b", secret: string) =>
    (
      await http(base(which), "/api/v1/tokens/verify", {
        method: "POST",
        body: { token: secret },
      })
    ).body as { valid: boolean; reason?: string };

  /**
   * Waits until `which` refuses the secret (for `reason`) and answers how long that took from the
   * moment of the call; the first poll goes out at once.
   */
  async function refusedWithin(which: "a" | "b", secret: string, reason: string) {
    const started = Date.now();
    let last: { valid: boolean; reason?: string } = { valid: true };
    while (Date.now() - started < 5000) {
      last = await verify(which, secret);
      if (!last.valid) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const elapsed = Date.now() - started;
    expect(last).toMatchObject({ valid: false, reason });
    // The Bearer path answers the same as verification, on the very next request.
    const me = await http(base(which), "/api/v1/me", { token: secret });
    expect(me.status).toBe(401);
    return elapsed;
  }

  /** Warms `which`'s cache with this token (the first test shows the cache is on). */
  async function cachedIn(which: "a" | "b", secret: string) {
    expect(await verify(which, secret)).toMatchObject({ valid: true });
    expect((await http(base(which), "/api/v1/me", { token: secret })).status).toBe(200);
  }

  it("failed sign-ins counted by A slow the same username on B", async () => {
    const username = `guessed-${Date.now()}`;
    const attempt = (which: "a" | "b", address: string) =>
      http(base(which), "/api/v1/auth/login", {
        method: "POST",
        body: { username, password: "a wrong guess" },
        headers: { "x-forwarded-for": address },
      });
    for (let i = 1; i <= 5; i++) expect((await attempt("a", `10.70.0.${i}`)).status).toBe(401);
    // The sixth, through the other process and from another address, must wait.
    const onB = await attempt("b", "10.70.1.1");
    expect(onB.status).toBe(429);
    expect(onB.headers.get("retry-after")).toBe("1");
  });

  it("B's cache is really on: a change written straight to the database, without NOTIFY, is not seen", async () => {
    const { token, secret } = await createToken("probe");
    const setStatus = (status: "enabled" | "disabled") =>
      db?.db.updateTable("api_tokens").set({ status }).where("id", "=", token.id).execute();
    // The listener connects shortly after start; until then B reads every token fresh.
    await waitFor("B to answer the probe token from its cache", async () => {
      await setStatus("enabled");
      if (!(await verify("b", secret)).valid) return false;
      await setStatus("disabled");
      return (await verify("b", secret)).valid;
    });
    // So every refusal below reached B through the invalidation channel, not a fresh read.
    await setStatus("enabled");
  });

  it("disable through A: B refuses the token within 1 s", async () => {
    const { token, secret } = await createToken("disable-me");
    await cachedIn("b", secret);
    const res = await http(base("a"), `/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      session: adminA,
      body: { status: "disabled" },
    });
    expect(res.status).toBe(200);
    expect(await refusedWithin("b", secret, "disabled")).toBeLessThan(TARGET_MS);
  });

  it("regenerate through A: B refuses the old secret within 1 s and takes the new one", async () => {
    const { token, secret } = await createToken("regenerate-me");
    await cachedIn("b", secret);
    const res = await http(base("a"), `/api/v1/tokens/${token.id}/regenerate`, {
      method: "POST",
      session: adminA,
    });
    expect(res.status).toBe(200);
    expect(await refusedWithin("b", secret, "unknown")).toBeLessThan(TARGET_MS);
    const fresh = (res.body as { secret: string }).secret;
    expect(await verify("b", fresh)).toMatchObject({ valid: true, tokenId: token.id });
  });

  it("delete through A: B refuses the token within 1 s", async () => {
    const { token, secret } = await createToken("delete-me");
    await cachedIn("b", secret);
    const res = await http(base("a"), `/api/v1/tokens/${token.id}`, {
      method: "DELETE",
      session: adminA,
    });
    expect(res.status).toBeLessThan(300);
    expect(await refusedWithin("b", secret, "unknown")).toBeLessThan(TARGET_MS);
  });

  it("bulk disable through B: A refuses every token within 1 s", async () => {
    const made = await Promise.all(["bulk-1", "bulk-2", "bulk-3"].map((n) => createToken(n)));
    for (const { secret } of made) await cachedIn("a", secret);
    const res = await http(base("b"), "/api/v1/tokens/bulk", {
      method: "POST",
      session: adminB,
      body: { action: "disable", ids: made.map((m) => m.token.id) },
    });
    expect(res.status).toBe(200);
    for (const { secret } of made) {
      expect(await refusedWithin("a", secret, "disabled")).toBeLessThan(TARGET_MS);
    }
  });

  it("disabling the owner through A: B refuses the owner's token within 1 s", async () => {
    const user = await http(base("a"), "/api/v1/users", {
      method: "POST",
      session: adminA,
      body: {
        username: `member-${Date.now().toString(36)}`,
        displayName: "A member",
        password: "a-long-enough-password-42",
        roleId: "rol_member",
      },
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const userId = (user.body as { id: string }).id;
    const { secret } = await createToken("owner-goes", userId);
    await cachedIn("b", secret);
    const res = await http(base("a"), `/api/v1/users/${userId}`, {
      method: "PATCH",
      session: adminA,
      body: { status: "disabled" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await refusedWithin("b", secret, "owner_disabled")).toBeLessThan(TARGET_MS);
  });
});
