// Secrets hygiene (issue #7, part 7): a full scenario at debug log level — sign-ins good and
// bad, users created and given new passwords, API tokens created, used, verified, regenerated,
// disabled and deleted, a command-line session token issued and used, sessions ended — and then:
// no secret appears in any log line, in any error body, in any response header but the
// Set-Cookie that carries it, or in any answer after the one that shows it once.
//
// Secrets here are credentials and what could be replayed or attacked offline: passwords, the
// session credential (the kw_session cookie value; a session's public `ses_…` id is not one, it
// is listed on the Sessions page like a token's `tok_…` id), CSRF tokens, API token secrets,
// `kws_…` command-line tokens, the server pepper, and the stored hashes of all of these.
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { CSRF_COOKIE, SESSION_COOKIE } from "@keyward/contracts/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.ts";
import { createTestApp, readSetCookies, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ KEYWARD_LOG_LEVEL: "debug" });
});
afterAll(() => t.close());

/** A secret and the moment it was shown (answers after that must not contain it). */
interface Secret {
  label: string;
  value: string;
  /** Index in `answers` of the one answer allowed to carry it, if any. */
  shownIn?: number;
}

interface Answer {
  what: string;
  status: number;
  body: string;
  /** Every header except Set-Cookie (which carries the session secret by design). */
  headers: string;
}

const secrets: Secret[] = [];
const answers: Answer[] = [];
/** Set when the scenario ran to its end: the checks below mean nothing on half a scenario. */
let completed = false;

function secret(label: string, value: string, shownIn?: number): string {
  expect(value.length, label).toBeGreaterThanOrEqual(12);
  secrets.push({ label, value, shownIn });
  return value;
}

interface Session {
  cookie: string;
  csrf: string;
}

async function call(
  what: string,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    session?: Session;
    bearer?: string;
    ip?: string;
  } = {},
) {
  const headers: Record<string, string> = { "x-forwarded-for": init.ip ?? "10.90.0.1" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.session) {
    headers.cookie = init.session.cookie;
    headers["x-csrf-token"] = init.session.csrf;
  }
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  const res = await t.app.request(path, {
    method: init.method ?? "GET",
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
  const body = await res.text();
  const index = answers.length;
  answers.push({
    what: `${what}: ${init.method ?? "GET"} ${path} → ${res.status}`,
    status: res.status,
    body,
    headers: [...res.headers.entries()]
      .filter(([name]) => name !== "set-cookie")
      .map(([name, value]) => `${name}: ${value}`)
      .join("\n"),
  });
  return { res, status: res.status, body, json: () => JSON.parse(body) as never, index };
}

async function signIn(username: string, password: string, ip = "10.90.1.1") {
  const r = await call("sign in", "/api/v1/auth/login", {
    method: "POST",
    body: { username, password },
    ip,
  });
  expect(r.status).toBe(200);
  const cookies = readSetCookies(r.res);
  const session = secret("session cookie", cookies[SESSION_COOKIE] ?? "", r.index);
  const csrf = secret("CSRF token", cookies[CSRF_COOKIE] ?? "", r.index);
  secret("session secret hash (hex)", createHash("sha256").update(session).digest("hex"));
  secret("session secret hash (base64)", createHash("sha256").update(session).digest("base64"));
  return { cookie: `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`, csrf };
}

describe("secrets hygiene over a full scenario at debug level", () => {
  it("runs the scenario", async () => {
    secret("server pepper", t.config.tokenPepper ?? "");
    const owner = await t.createUser("owner");
    secret("owner password", owner.password);

    // Sign-in failures, one with a password that looks like JSON trouble.
    for (const wrong of ['wrong "password" \\ with ünïcode', "Wrong-Password-1234"]) {
      const r = await call("failed sign-in", "/api/v1/auth/login", {
        method: "POST",
        body: { username: owner.username, password: secret("wrong password", wrong) },
        ip: "10.90.2.1",
      });
      expect(r.status).toBe(401);
    }
    const admin = await signIn(owner.username, owner.password);

    // A user created with a password, then given a new one by the administrator.
    const firstPassword = secret("created user's password", "Initial-Passw0rd-Number-One");
    const created = await call("create user", "/api/v1/users", {
      method: "POST",
      session: admin,
      body: { username: "alice", roleId: "rol_admin", password: firstPassword },
    });
    expect(created.status).toBe(201);
    const alice = created.json() as { id: string };
    const weak = await call("weak password refused", `/api/v1/users/${alice.id}`, {
      method: "PATCH",
      session: admin,
      body: { password: secret("refused weak password", "alicealice12") },
    });
    expect(weak.status).toBe(400);
    const newPassword = secret("changed password", "Second-Passw0rd-Number-Two");
    expect(
      (
        await call("set password", `/api/v1/users/${alice.id}`, {
          method: "PATCH",
          session: admin,
          body: { password: newPassword },
        })
      ).status,
    ).toBe(200);
    const hashes = await t.db.db.selectFrom("users").select("password_hash").execute();
    for (const { password_hash } of hashes) secret("password hash", password_hash);
    const aliceSession = await signIn("alice", newPassword, "10.90.3.1");

    // API tokens: created (the secret shown once), used, verified, regenerated, revoked.
    const made = await call("create token", "/api/v1/tokens", {
      method: "POST",
      session: aliceSession,
      body: { name: "deploy", scopes: ["token:*", "user:read"] },
    });
    expect(made.status).toBe(201);
    const { token, secret: first } = made.json() as { token: { id: string }; secret: string };
    secret("API token secret", first, made.index);
    secret("API token secret, random part", first.slice(20), made.index);
    for (const path of ["/api/v1/me", "/api/v1/tokens", `/api/v1/tokens/${token.id}`]) {
      expect((await call("use token", path, { bearer: first })).status).toBe(200);
    }
    for (const scope of ["token:read", "audit:read"]) {
      const v = await call("verify", "/api/v1/tokens/verify", {
        method: "POST",
        body: { token: first, scope },
      });
      expect(v.status).toBe(200);
    }
    const badScope = await call("verify with a bad scope", "/api/v1/tokens/verify", {
      method: "POST",
      body: { token: first, scope: "not a scope" },
    });
    expect(badScope.status).toBe(400);

    const regen = await call("regenerate", `/api/v1/tokens/${token.id}/regenerate`, {
      method: "POST",
      session: aliceSession,
    });
    expect(regen.status).toBe(200);
    const second = secret(
      "regenerated secret",
      (regen.json() as { secret: string }).secret,
      regen.index,
    );
    const row = await t.db.db
      .selectFrom("api_tokens")
      .select("secret_hash")
      .where("id", "=", token.id)
      .executeTakeFirstOrThrow();
    secret("token secret hash (hex)", row.secret_hash.toString("hex"));
    secret("token secret hash (base64)", row.secret_hash.toString("base64"));
    const old = await call("old secret refused", "/api/v1/me", { bearer: first });
    expect(old.status).toBe(401);
    const oldVerify = await call("old secret verified", "/api/v1/tokens/verify", {
      method: "POST",
      body: { token: first },
    });
    expect(oldVerify.json()).toMatchObject({ valid: false });
    expect((await call("new secret works", "/api/v1/me", { bearer: second })).status).toBe(200);
    // Secrets where they do not belong: in a path, in a query string, mangled in a header.
    await call("secret as an id", `/api/v1/tokens/${second}`, { session: aliceSession });
    await call("secret in a query", `/api/v1/tokens?name=${second}`, { session: aliceSession });
    await call("mangled bearer", "/api/v1/me", { bearer: `${second}x` });

    // A command-line session token: issued once, used, listed, ended.
    const cli = await call("issue CLI token", "/api/v1/auth/cli-token", {
      method: "POST",
      session: aliceSession,
    });
    expect(cli.status).toBe(201);
    const { token: kws, sessionId } = cli.json() as { token: string; sessionId: string };
    secret("CLI session token", kws, cli.index);
    expect((await call("use CLI token", "/api/v1/me/sessions", { bearer: kws })).status).toBe(200);
    await call("CLI token as an id", `/api/v1/me/sessions/${kws}`, {
      method: "DELETE",
      session: aliceSession,
    });
    expect(
      (
        await call("CLI token writes", "/api/v1/tokens", {
          method: "POST",
          bearer: kws,
          body: { name: "from-cli" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call("end CLI session", `/api/v1/me/sessions/${sessionId}`, {
          method: "DELETE",
          session: aliceSession,
        })
      ).status,
    ).toBe(204);
    expect((await call("ended CLI token", "/api/v1/me", { bearer: kws })).status).toBe(401);

    // Administration reads everything an auditor could: users, sessions, tokens, the audit log.
    for (const path of [
      "/api/v1/users",
      `/api/v1/users/${alice.id}`,
      "/api/v1/me/sessions",
      "/api/v1/tokens",
      "/api/v1/audit?limit=200",
      "/api/v1/settings",
    ]) {
      expect((await call("read", path, { session: admin })).status).toBe(200);
    }

    // Revocation and the end of the sessions.
    await call("bulk disable", "/api/v1/tokens/bulk", {
      method: "POST",
      session: admin,
      body: { action: "disable", ids: [token.id] },
    });
    await call("disabled token", "/api/v1/tokens/verify", {
      method: "POST",
      body: { token: second },
    });
    await call("delete", `/api/v1/tokens/${token.id}`, { method: "DELETE", session: admin });
    await call("sign out everywhere", `/api/v1/users/${alice.id}/sessions`, {
      method: "DELETE",
      session: admin,
    });
    expect((await call("ended session", "/api/v1/me", { session: aliceSession })).status).toBe(401);
    expect(
      (await call("sign out", "/api/v1/auth/logout", { method: "POST", session: admin })).status,
    ).toBe(204);

    // Page requests log at debug level: the level this scenario runs at is really in effect.
    await call("a page", "/sign-in", { session: admin });
    expect(t.logs.some((line) => line.includes('"level":20'))).toBe(true);
    expect(answers.filter((a) => a.status >= 400).length).toBeGreaterThan(8);
    completed = true;
  });

  /** The forms a secret could take in JSON text: as is, and escaped. */
  const forms = (value: string) => [...new Set([value, JSON.stringify(value).slice(1, -1)])];

  it("no secret appears in any log line", () => {
    expect(completed, "the scenario ran to its end").toBe(true);
    expect(t.logs.length).toBeGreaterThan(30);
    for (const line of t.logs)
      for (const s of secrets)
        for (const form of forms(s.value))
          expect(line.includes(form), `${s.label} logged: ${line}`).toBe(false);
  });

  it("no secret appears in any error body, nor in any header but Set-Cookie", () => {
    expect(completed, "the scenario ran to its end").toBe(true);
    for (const answer of answers)
      for (const s of secrets)
        for (const form of forms(s.value)) {
          expect(answer.headers.includes(form), `${s.label} in headers of ${answer.what}`).toBe(
            false,
          );
          if (answer.status >= 400)
            expect(answer.body.includes(form), `${s.label} in ${answer.what}: ${answer.body}`).toBe(
              false,
            );
        }
  });

  it("a secret is in exactly the one answer that shows it, and in no other", () => {
    expect(completed, "the scenario ran to its end").toBe(true);
    for (const s of secrets) {
      const carrying = answers
        .map((a, i) => (forms(s.value).some((f) => a.body.includes(f)) ? i : -1))
        .filter((i) => i >= 0);
      const expected =
        s.shownIn !== undefined && s.label !== "session cookie" && s.label !== "CSRF token"
          ? [s.shownIn]
          : [];
      expect(
        carrying.map((i) => answers[i]?.what),
        s.label,
      ).toEqual(expected.map((i) => answers[i]?.what));
    }
  });

  it("no secret is stored in the audit log", async () => {
    expect(completed, "the scenario ran to its end").toBe(true);
    const rows = JSON.stringify(await t.db.db.selectFrom("audit_events").selectAll().execute());
    for (const s of secrets)
      for (const form of forms(s.value)) expect(rows.includes(form), s.label).toBe(false);
  });
});

describe("the logger's second line of defence", () => {
  it("redacts secret-bearing fields passed to it by mistake, a failed query's parameters, and secrets in a request path", () => {
    const lines: string[] = [];
    const logger = createLogger(
      "debug",
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const leak = "hunter2-hunter2-hunter2";
    logger.debug(
      {
        password: leak,
        secret: leak,
        token: leak,
        cookie: leak,
        authorization: leak,
        headers: { cookie: leak, authorization: leak },
        body: { password: leak, token: leak },
        err: Object.assign(new Error("insert failed"), { params: [leak, leak] }),
      },
      "careless",
    );
    // A secret pasted into a URL where an id belongs.
    const apiToken = `kw_${"a".repeat(16)}_${"b".repeat(49)}`;
    const cliToken = `kws_${"c".repeat(43)}`;
    logger.info({ path: `/api/v1/tokens/${apiToken}/regenerate` }, "request");
    logger.info({ path: `/api/v1/me/sessions/${cliToken}` }, "request");
    logger.info({ path: "/api/v1/tokens/tok_0123456789abcdef" }, "request");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain("[redacted]");
    expect(lines[0]).not.toContain(leak);
    expect(lines[1]).toContain('"path":"/api/v1/tokens/kw_[redacted]/regenerate"');
    expect(lines[2]).toContain('"path":"/api/v1/me/sessions/kws_[redacted]"');
    expect(lines[3]).toContain('"path":"/api/v1/tokens/tok_0123456789abcdef"');
  });
});
