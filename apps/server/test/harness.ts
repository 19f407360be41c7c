// Integration-test harness: a real app over a real, freshly migrated database (Postgres when
// DATABASE_URL is set, else embedded), reached through app.request() — full HTTP semantics,
// no socket.
import { Writable } from "node:stream";
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "@keyward/contracts/auth";
import { type BuiltInRoleKey, builtInRoles, type Permission } from "@keyward/contracts/permissions";
import type { CreateTokenInput, TokenWithSecret } from "@keyward/contracts/tokens";
import { createDb } from "@keyward/db/client";
import type { KyselyPlugin } from "@keyward/db/kysely";
import { createTestDb, type TestDb } from "@keyward/db/test-db";
import { createApp } from "../src/app.ts";
import { hashPassword } from "../src/auth/password.ts";
import type { AppDeps } from "../src/context.ts";
import { createDeps } from "../src/deps.ts";
import { type AppConfig, loadConfig } from "../src/env.ts";
import { newId } from "../src/lib/ids.ts";
import { createLogger } from "../src/lib/logger.ts";

export const TEST_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

export interface Caller {
  cookie: string;
  csrf: string;
}

/** Who makes a request: a signed-in browser session, or an API token secret (Bearer). */
export type As = Caller | { token: string };

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: TestDb;
  deps: AppDeps;
  /** How many SQL statements the app has sent so far (to prove a path sends none). */
  queryCount(): number;
  config: AppConfig;
  /** Every log line the app wrote, for assertions about what is (never) logged. */
  logs: string[];
  createUser(
    role?: BuiltInRoleKey | string,
    overrides?: { username?: string; status?: "active" | "disabled" },
  ): Promise<TestUser>;
  login(user: TestUser, ip?: string): Promise<Caller>;
  request(
    path: string,
    init?: { method?: string; body?: unknown; as?: As; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Creates a token through the API and answers it with its secret (fails the test otherwise). */
  createToken(as: As, input?: Partial<CreateTokenInput>): Promise<TokenWithSecret>;
  /** Disables a user as the users service will: the row, then the token cache. */
  setUserStatus(userId: string, status: "active" | "disabled"): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Postgres only: a second app ("another server process") over the same database. */
  sameDatabaseAs?: TestApp;
}

export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const shared = options.sameDatabaseAs?.db;
  let db: TestDb;
  if (shared) {
    if (!shared.url) throw new Error("sameDatabaseAs needs the postgres engine");
    const handle = await createDb({ databaseUrl: shared.url, poolSize: 5 });
    db = { ...handle, url: shared.url, drop: () => handle.close() };
  } else {
    db = await createTestDb();
  }
  let queries = 0;
  const counter$: KyselyPlugin = {
    transformQuery: (args) => args.node,
    // Counted as results arrive: a query compiled once and executed many times (the token-record
    // read) passes through transformQuery only when it is built.
    transformResult: async (args) => {
      queries++;
      return args.result;
    },
  };
  const config = loadConfig({
    KEYWARD_DATA_DIR: "/tmp/keyward-test-unused",
    KEYWARD_TOKEN_PEPPER: "test-pepper-".padEnd(40, "x"),
    // Tests name the client address through X-Forwarded-For, so rate limits apply per test.
    KEYWARD_TRUST_PROXY: "1",
    ...env,
  });
  config.webDist = undefined;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger((env.KEYWARD_LOG_LEVEL as "debug") ?? "debug", sink);
  const deps = createDeps({
    db: { ...db, db: db.db.withPlugin(counter$) },
    config,
    logger,
    serverSecret: Buffer.from(config.tokenPepper ?? ""),
  });
  const app = createApp(deps);
  let counter = 0;

  const testApp: TestApp = {
    app,
    db,
    deps,
    queryCount: () => queries,
    config,
    logs,
    async createUser(role = "member", overrides = {}) {
      passwordHash ??= hashPassword(TEST_PASSWORD);
      const roleId = role in builtInRoles ? builtInRoles[role as BuiltInRoleKey].id : role;
      const username =
        overrides.username ?? `${role.replace(/\W/g, "")}-${Date.now().toString(36)}-${counter++}`;
      const id = newId("usr");
      await db.db
        .insertInto("users")
        .values({
          id,
          username,
          display_name: `Test ${username}`,
          email: `${username}@example.test`,
          password_hash: await passwordHash,
          role_id: roleId,
          status: overrides.status ?? "active",
        })
        .execute();
      return { id, username, password: TEST_PASSWORD };
    },
    async login(user, ip) {
      const res = await testApp.request("/api/v1/auth/login", {
        method: "POST",
        body: { username: user.username, password: user.password },
        headers: {
          "x-forwarded-for": ip ?? `10.1.${Math.floor(counter / 250) % 250}.${counter++ % 250}`,
        },
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      const cookies = readSetCookies(res);
      const session = cookies[SESSION_COOKIE];
      const csrf = cookies[CSRF_COOKIE];
      if (!session || !csrf) throw new Error("login did not set both cookies");
      return { cookie: `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`, csrf };
    },
    request(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers["content-type"] ??= "application/json";
      if (init.as && "token" in init.as) {
        headers.authorization ??= `Bearer ${init.as.token}`;
        // A distinct client address per token request, so the per-address limiter for bad tokens
        // only comes into play in the tests that name an address on purpose.
        headers["x-forwarded-for"] ??=
          `10.200.${Math.floor(counter / 250) % 250}.${counter++ % 250}`;
      } else if (init.as) {
        headers.cookie = init.as.cookie;
        if ((init.method ?? "GET") !== "GET") headers[CSRF_HEADER] ??= init.as.csrf;
      }
      return Promise.resolve(
        app.request(path, {
          method: init.method ?? "GET",
          headers,
          body:
            init.body === undefined
              ? undefined
              : typeof init.body === "string"
                ? init.body
                : JSON.stringify(init.body),
        }),
      );
    },
    async createToken(as, input = {}) {
      const res = await testApp.request("/api/v1/tokens", {
        method: "POST",
        as,
        body: { name: `token-${counter++}`, ...input },
      });
      if (res.status !== 201)
        throw new Error(`createToken failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as TokenWithSecret;
    },
    async setUserStatus(userId, status) {
      await db.db.updateTable("users").set({ status }).where("id", "=", userId).execute();
      deps.invalidation.apply({ kind: "user", userId });
    },
    async close() {
      await deps.stop();
      await db.drop();
    },
  };
  return testApp;
}

export function readSetCookies(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0) out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
  }
  return out;
}

/**
 * A sign-in attempt, answered whatever it is: each from an address of its own, so that only the
 * username's failure count can slow it.
 */
export function attemptSignIn(app: TestApp, username: string, password: string) {
  const octet = () => Math.floor(Math.random() * 250);
  return app.request("/api/v1/auth/login", {
    method: "POST",
    body: { username, password },
    headers: { "x-forwarded-for": `10.77.${octet()}.${octet()}` },
  });
}

export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code;
}

let roleCounter = 0;

/** A custom role granting exactly these permissions; answers its id (users, roles, sessions). */
export async function createTestRole(
  t: TestApp,
  permissions: Permission[],
  name?: string,
): Promise<string> {
  const id = `rol_test${Date.now().toString(36)}${roleCounter++}`;
  await t.db.db
    .insertInto("roles")
    .values({ id, name: name ?? `Custom ${id}`, permissions, builtin: false })
    .execute();
  return id;
}

/** A fresh user of the role, signed in through the API. */
export async function signedInAs(
  t: TestApp,
  role: BuiltInRoleKey | string = "member",
): Promise<{ user: TestUser; caller: Caller }> {
  const user = await t.createUser(role);
  return { user, caller: await t.login(user) };
}
