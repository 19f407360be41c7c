// Hostile input on every endpoint (issue #7, part 4): random JSON, wrong types, huge strings and
// arrays, unicode and NUL bytes, SQL and HTML injection in bodies, query filters and path ids.
// Whatever arrives, the answer is a success or a 4xx error envelope with a code from the closed
// enum — never a 500 — and a refused request changes no row.
import { errorEnvelopeSchema } from "@keyward/contracts/errors";
import { permissions } from "@keyward/contracts/permissions";
import { tokenSortSchema } from "@keyward/contracts/tokens";
import { userSortSchema } from "@keyward/contracts/users";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../src/auth/sessions.ts";
import { auditActionsSince, fingerprint } from "./db-fingerprint.ts";
import { type Caller, createTestApp, type TestApp, type TestUser } from "./harness.ts";
import {
  type FieldSpec,
  forgedCursor,
  hostileBody,
  hostileQuery,
  hostileSegment,
  hostileString,
  oneOf,
  text,
} from "./hostile-arbitraries.ts";

// Runs per endpoint. Each run is one request plus two reads of the database; ~30 endpoints.
const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);
// fast-check prints the seed of a failing property; HOSTILE_SEED=<seed> replays it.
if (process.env.HOSTILE_SEED) fc.configureGlobal({ seed: Number(process.env.HOSTILE_SEED) });

let t: TestApp;
let owner: TestUser;
let cookie: Caller;
let ownerToken: { id: string; secret: string };
let ipCounter = 0;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.createUser("owner");
  cookie = await t.login(owner);
  const created = await t.createToken(cookie, { name: "hostile-caller" });
  ownerToken = { id: created.token.id, secret: created.secret };
});
// HOSTILE_STATS=1 prints how often each endpoint answered which status and code: a check that
// the generators get past validation to the database, not only bounce off the schema.
const stats: Record<string, Record<string, number>> = {};
afterAll(async () => {
  if (process.env.HOSTILE_STATS) console.log(JSON.stringify(stats, null, 1));
  await t.close();
});

// ---------------------------------------------------------------------------------------------
// Placeholders: generated input may name "$TOKEN", "$USER", "$ROLE" or "$SESSION"; they become
// real ids (never the caller's own user, session or token) just before the request is sent, so
// hostile bodies also reach real rows.

async function realId(kind: string): Promise<string> {
  const db = t.db.db;
  if (kind === "TOKEN") {
    const row = await db
      .selectFrom("api_tokens")
      .select("id")
      .where("id", "!=", ownerToken.id)
      .orderBy("id")
      .executeTakeFirst();
    return row?.id ?? (await t.createToken(cookie, { name: `victim-${ipCounter++}` })).token.id;
  }
  if (kind === "USER") {
    const row = await db
      .selectFrom("users")
      .select("id")
      .where("id", "!=", owner.id)
      .where("role_id", "!=", "rol_owner")
      .orderBy("id")
      .executeTakeFirst();
    return row?.id ?? (await t.createUser("member")).id;
  }
  if (kind === "ROLE") {
    const row = await db
      .selectFrom("roles")
      .select("id")
      .where("builtin", "=", false)
      .orderBy("id")
      .executeTakeFirst();
    if (row) return row.id;
    const id = `rol_hostile${ipCounter++}`;
    await db
      .insertInto("roles")
      .values({ id, name: `Hostile ${id}`, permissions: ["audit.read"], builtin: false })
      .execute();
    return id;
  }
  // SESSION: a session of another user (ending the caller's own would sign the test out).
  const userId = await realId("USER");
  const row = await db
    .selectFrom("sessions")
    .select("id")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (row) return row.id;
  const session = await createSession(db, {
    userId,
    kind: "browser",
    ip: "10.0.0.1",
    userAgent: null,
    durationMs: 3_600_000,
  });
  return session.id;
}

async function resolvePlaceholders(raw: string): Promise<string> {
  let out = raw
    .replaceAll("$ME", owner.id)
    .replaceAll("%24ME", owner.id)
    .replaceAll("$OWNERNAME", owner.username)
    .replaceAll("$SECRET", ownerToken.secret)
    .replaceAll("%24SECRET", ownerToken.secret);
  for (const kind of ["TOKEN", "USER", "ROLE", "SESSION"]) {
    if (out.includes(`$${kind}`) || out.includes(`%24${kind}`)) {
      const id = await realId(kind);
      out = out.replaceAll(`$${kind}`, id).replaceAll(`%24${kind}`, id);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The endpoints. Every API route must appear here (checked below), so a new route without a
// hostile-input property fails this file.

type Who = "cookie" | "token" | "anonymous";

interface Endpoint {
  method: string;
  /** The route as Hono names it, e.g. /api/v1/tokens/:id. */
  route: string;
  /** Builds the path; segments come from hostileSegment. */
  path: fc.Arbitrary<string>;
  body?: FieldSpec;
  query?: FieldSpec;
  /** Allowed to write audit rows even when refused (failed sign-ins are audited on purpose). */
  auditsRefusals?: string[];
  /** Answers CSV, not JSON, when it succeeds. */
  answersCsv?: boolean;
}

const api = "/api/v1";
const fixed = (path: string) => fc.constant(`${api}${path}`);

// Valid-ish values per kind of field. Free text is where injection strings pass validation and
// reach SQL (and, in e2e/tests/hostile-names.spec.ts, the page).
const anyId = fc.oneof(oneOf("$TOKEN", "$USER", "$ROLE", "$SESSION", "$ME"), text(64));
const userId = fc.oneof(oneOf("$USER", "$ME", "$USER"), text(64));
const future = fc
  .integer({ min: 1, max: 3_000 })
  .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
const date = fc.oneof(
  future,
  fc
    .date({
      min: new Date("0001-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  oneOf("2020-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z"),
);
const scope = oneOf(
  "all",
  "token:*",
  "token:read",
  "token:create",
  "token:update",
  "token:delete",
  "user:read",
  "audit:read",
  "settings:update",
);
const allowEntry = oneOf("token:*", "token:$TOKEN", "user:*", "user:$USER", "role:*");
const permission = oneOf(...permissions);
const duration = fc.oneof(oneOf("90d", "30d", "720h", "1h30m", "5m", "1w", null), text(32));
const limit = fc.oneof(
  fc.integer({ min: 1, max: 200 }),
  oneOf<number | string>(0, 201, -1, 1.5, "1e3", "0x10"),
);
const tokenSort = fc.constantFrom(...tokenSortSchema.options);
const userSort = oneOf(...userSortSchema.options);
const timeText = fc.oneof(
  date,
  oneOf("infinity", "-infinity", "1", "0000-12-31T23:59:59.999Z"),
  text(40),
);

const tokenBody: FieldSpec = {
  name: text(64),
  description: fc.oneof(text(1000), hostileString),
  expiresAt: fc.oneof(future, date, fc.constant(null)),
  scopes: fc.array(scope, { minLength: 1, maxLength: 4 }),
  allow: fc.array(allowEntry, { maxLength: 3 }),
};
const userBody: FieldSpec = {
  username: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9._@-]{2,20}$/), text(64)),
  displayName: text(128),
  email: fc.oneof(fc.emailAddress(), text(64), fc.constant(null)),
  roleId: fc.oneof(oneOf("rol_member", "rol_guest", "rol_auditor", "rol_owner", "$ROLE"), text(64)),
  password: fc.oneof(oneOf("a-long-enough-password-42"), text(64)),
  status: oneOf("active", "disabled"),
};
const roleBody: FieldSpec = {
  name: text(64),
  description: fc.oneof(text(500), hostileString),
  permissions: fc.uniqueArray(permission, { maxLength: 4 }),
};

/** The audit log's filters, shared by its list and its export. */
const auditFilters: FieldSpec = {
  action: fc.oneof(oneOf("token.create", "auth.login", "auth.login_failed"), text(64)),
  actorId: userId,
  targetType: fc.oneof(oneOf("token", "user", "session"), text(32)),
  targetId: anyId,
  occurredAfter: date,
  occurredBefore: date,
};

const endpoints: Endpoint[] = [
  { method: "GET", route: "/health", path: fixed("/health"), query: { x: text(10) } },
  {
    method: "POST",
    route: "/auth/login",
    path: fixed("/auth/login"),
    body: { username: fc.oneof(oneOf("$OWNERNAME"), text(64)), password: text(64) },
    auditsRefusals: ["auth.login_failed"],
  },
  {
    method: "POST",
    route: "/auth/cli-token",
    path: fixed("/auth/cli-token"),
    body: { ttl: text(8) },
  },
  { method: "GET", route: "/me", path: fixed("/me") },
  {
    method: "POST",
    route: "/me/password",
    path: fixed("/me/password"),
    // Never the caller's real password: a change would sign out the sessions the other cases use.
    body: {
      currentPassword: text(64),
      newPassword: fc.oneof(oneOf("a-long-enough-password-42"), text(64)),
    },
    auditsRefusals: ["user.password_change_failed"],
  },
  { method: "GET", route: "/me/sessions", path: fixed("/me/sessions") },
  {
    method: "DELETE",
    route: "/me/sessions/:id",
    path: hostileSegment("$SESSION").map((s) => `${api}/me/sessions/${s}`),
  },
  { method: "GET", route: "/scopes", path: fixed("/scopes") },
  {
    method: "GET",
    route: "/tokens",
    path: fixed("/tokens"),
    query: {
      name: text(64),
      userId,
      createdBy: userId,
      status: oneOf("enabled", "disabled"),
      expiry: fc.oneof(oneOf("expired", "never", "within:0", "within:7", "within:99999")),
      expiresBefore: date,
      expiresAfter: date,
      lastUsed: oneOf("never", "within:0", "within:7", "idle:90", "idle:99999"),
      sort: tokenSort,
      limit,
      cursor: forgedCursor(
        fc.record({ s: tokenSort, v: fc.oneof(timeText, oneOf("enabled", "disabled")), i: anyId }),
      ),
    },
  },
  {
    method: "POST",
    route: "/tokens",
    path: fixed("/tokens"),
    body: { ...tokenBody, userId, enabled: fc.boolean() },
  },
  {
    method: "POST",
    route: "/tokens/bulk",
    path: fixed("/tokens/bulk"),
    body: {
      action: oneOf("enable", "disable", "delete"),
      ids: fc.array(fc.oneof(oneOf("$TOKEN"), text(64)), { minLength: 1, maxLength: 5 }),
    },
  },
  {
    method: "POST",
    route: "/tokens/verify",
    path: fixed("/tokens/verify"),
    body: {
      token: fc.oneof(oneOf("$SECRET"), text(512)),
      scope,
      resource: fc.oneof(oneOf("token:$TOKEN", "user:$USER", "token:tok_x"), text(128)),
    },
  },
  {
    method: "GET",
    route: "/tokens/:id",
    path: hostileSegment("$TOKEN").map((s) => `${api}/tokens/${s}`),
  },
  {
    method: "PATCH",
    route: "/tokens/:id",
    path: hostileSegment("$TOKEN", "$TOKEN").map((s) => `${api}/tokens/${s}`),
    body: { ...tokenBody, status: oneOf("enabled", "disabled") },
  },
  {
    method: "DELETE",
    route: "/tokens/:id",
    path: hostileSegment("$TOKEN").map((s) => `${api}/tokens/${s}`),
  },
  {
    method: "POST",
    route: "/tokens/:id/regenerate",
    path: hostileSegment("$TOKEN").map((s) => `${api}/tokens/${s}/regenerate`),
    body: { confirm: fc.boolean() },
  },
  {
    method: "GET",
    route: "/tokens/:id/history",
    path: hostileSegment("$TOKEN").map((s) => `${api}/tokens/${s}/history`),
    query: { limit },
  },
  {
    method: "GET",
    route: "/audit",
    path: fixed("/audit"),
    query: {
      ...auditFilters,
      limit,
      cursor: forgedCursor(
        fc.record({
          i: fc.oneof(
            fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
            oneOf("1", "9223372036854775807", "9223372036854775808", "9999999999999999999"),
            text(20),
          ),
        }),
      ),
    },
  },
  {
    method: "GET",
    route: "/audit/export",
    path: fixed("/audit/export"),
    answersCsv: true,
    query: auditFilters,
  },
  { method: "GET", route: "/settings", path: fixed("/settings") },
  {
    method: "PATCH",
    route: "/settings",
    path: fixed("/settings"),
    body: {
      maxTokenLifetime: duration,
      defaultTokenLifetime: duration,
      sessionDuration: duration,
      sessionRefresh: fc.boolean(),
    },
  },
  {
    method: "GET",
    route: "/settings/impact",
    path: fixed("/settings/impact"),
    query: { maxTokenLifetime: duration },
  },
  {
    method: "GET",
    route: "/users",
    path: fixed("/users"),
    query: {
      q: text(128),
      roleId: fc.oneof(oneOf("rol_member", "rol_owner", "$ROLE"), text(64)),
      status: oneOf("active", "disabled"),
      sort: userSort,
      limit,
      cursor: forgedCursor(fc.tuple(userSort, fc.oneof(timeText, text(64)), anyId)),
    },
  },
  { method: "POST", route: "/users", path: fixed("/users"), body: userBody },
  {
    method: "GET",
    route: "/users/:id",
    path: hostileSegment("$USER").map((s) => `${api}/users/${s}`),
  },
  {
    method: "PATCH",
    route: "/users/:id",
    path: hostileSegment("$USER", "$USER").map((s) => `${api}/users/${s}`),
    body: userBody,
  },
  {
    method: "DELETE",
    route: "/users/:id/sessions",
    path: hostileSegment("$USER").map((s) => `${api}/users/${s}/sessions`),
  },
  {
    method: "DELETE",
    route: "/users/:id/sessions/:sessionId",
    path: fc
      .tuple(hostileSegment("$USER"), hostileSegment("$SESSION"))
      .map(([u, s]) => `${api}/users/${u}/sessions/${s}`),
  },
  { method: "GET", route: "/roles", path: fixed("/roles") },
  { method: "POST", route: "/roles", path: fixed("/roles"), body: roleBody },
  {
    method: "GET",
    route: "/roles/:id",
    path: hostileSegment("$ROLE", "rol_owner").map((s) => `${api}/roles/${s}`),
  },
  {
    method: "PATCH",
    route: "/roles/:id",
    path: hostileSegment("$ROLE", "$ROLE", "rol_owner", "rol_member").map(
      (s) => `${api}/roles/${s}`,
    ),
    body: roleBody,
  },
  {
    method: "DELETE",
    route: "/roles/:id",
    path: hostileSegment("$ROLE", "rol_member").map((s) => `${api}/roles/${s}`),
  },
];

const who = fc.constantFrom<Who>("cookie", "cookie", "token", "token", "anonymous");
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8") },
  { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "") },
);

/** Sends one request and checks the answer, and the database when it was refused. */
async function sendAndCheck(
  endpoint: Endpoint,
  path: string,
  query: string,
  body: string | undefined,
  as: Who,
  type: string,
): Promise<void> {
  const url = await resolvePlaceholders(path + query);
  const payload =
    body === undefined || endpoint.method === "GET" ? undefined : await resolvePlaceholders(body);
  const headers: Record<string, string> = {
    // A fresh address per request: the sign-in and bad-token limiters are tested in abuse.test.ts.
    "x-forwarded-for": `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`,
  };
  if (payload !== undefined) headers["content-type"] = type;
  if (as === "cookie") {
    headers.cookie = cookie.cookie;
    headers["x-csrf-token"] = cookie.csrf;
  } else if (as === "token") {
    headers.authorization = `Bearer ${ownerToken.secret}`;
  }
  const before = await fingerprint(t);
  const res = await t.app.request(url, { method: endpoint.method, headers, body: payload });
  const text = await res.text();
  const what = `${endpoint.method} ${url.slice(0, 300)} as ${as} (${type}) body=${payload?.slice(0, 300)} → ${res.status} ${text.slice(0, 500)}`;

  if (process.env.HOSTILE_STATS) {
    const key = `${endpoint.method} ${endpoint.route}`;
    const code =
      res.status >= 400 ? ` ${(JSON.parse(text) as { error: { code: string } }).error.code}` : "";
    const counts = stats[key] ?? {};
    counts[`${res.status}${code}`] = (counts[`${res.status}${code}`] ?? 0) + 1;
    stats[key] = counts;
  }
  if (res.status >= 500) {
    const requestId = res.headers.get("x-request-id") ?? "?";
    const logged = t.logs.filter((l) => l.includes(requestId) && l.includes('"err"'));
    expect.fail(`${what}\nserver log: ${logged.join("\n").slice(0, 2_000)}`);
  }
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  if (res.status >= 400) {
    const envelope = errorEnvelopeSchema.safeParse(JSON.parse(text));
    expect(envelope.success, what).toBe(true);
    expect(envelope.data?.error.requestId, what).toBe(res.headers.get("x-request-id"));
    const after = await fingerprint(t);
    expect(after.rows, `rows changed on a refused request: ${what}`).toBe(before.rows);
    if (after.auditMaxId !== before.auditMaxId) {
      const allowed = endpoint.auditsRefusals ?? [];
      expect(
        (await auditActionsSince(t, before)).filter((a) => !allowed.includes(a)),
        `audit rows written on a refused request: ${what}`,
      ).toEqual([]);
    }
  } else if (endpoint.answersCsv) {
    expect(res.headers.get("content-type"), what).toBe("text/csv; charset=utf-8");
  } else if (res.status !== 204) {
    expect(() => JSON.parse(text), what).not.toThrow();
  }
}

describe("hostile input on every endpoint", () => {
  it("covers every API route", () => {
    const served = t.app.routes
      .filter((r) => r.path.startsWith(`${api}/`) && r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.slice(api.length)}`);
    // POST /auth/logout has its own property below (it really ends the session it is sent with).
    const covered = [...endpoints.map((e) => `${e.method} ${e.route}`), "POST /auth/logout"];
    expect(served.length).toBeGreaterThan(0);
    for (const route of served) expect(covered, route).toContain(route);
  });

  for (const endpoint of endpoints) {
    it(`${endpoint.method} ${endpoint.route}: a 2xx or a 4xx envelope, never a 500; refusals change nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(
          endpoint.path,
          endpoint.query ? hostileQuery(endpoint.query) : fc.constant(""),
          endpoint.body
            ? hostileBody(endpoint.body)
            : fc.option(hostileBody({ x: text(8) }), { nil: undefined }),
          who,
          contentType,
          (path, query, body, as, type) => sendAndCheck(endpoint, path, query, body, as, type),
        ),
        { numRuns: RUNS },
      );
    });
  }

  it("POST /auth/logout: any body, any caller — a 2xx or a 4xx envelope", async () => {
    // Signing out really ends a session, so each run signs a throwaway user in first.
    const user = await t.createUser("member");
    await fc.assert(
      fc.asyncProperty(hostileBody({ x: text(8) }), contentType, async (body, type) => {
        const session = await t.login(user);
        const res = await t.app.request(`${api}/auth/logout`, {
          method: "POST",
          headers: {
            cookie: session.cookie,
            "x-csrf-token": session.csrf,
            ...(body === undefined ? {} : { "content-type": type }),
          },
          body,
        });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400)
          expect(errorEnvelopeSchema.safeParse(JSON.parse(text)).success).toBe(true);
      }),
      { numRuns: Math.max(5, Math.round(RUNS / 4)) },
    );
  });
});
