// Integration-test harness: a real app over a real, freshly migrated database (Postgres when
// DATABASE_URL is set, else embedded), reached through app.request() — full HTTP semantics,
// no socket.
import { Writable } from "node:stream";
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "@keyward/contracts/auth";
import { builtInRoles, type BuiltInRoleKey } from "@keyward/contracts/permissions";
import { createTestDb, type TestDb } from "@keyward/db/test-db";
import { createApp } from "../src/app.ts";
import { hashPassword } from "../src/auth/password.ts";
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

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: TestDb;
  config: AppConfig;
  /** Every log line the app wrote, for assertions about what is (never) logged. */
  logs: string[];
  createUser(role?: BuiltInRoleKey | string, overrides?: { username?: string; status?: "active" | "disabled" }): Promise<TestUser>;
  login(user: TestUser, ip?: string): Promise<Caller>;
  request(path: string, init?: { method?: string; body?: unknown; as?: Caller; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDb();
  const config = loadConfig({ KEYWARD_DATA_DIR: "/tmp/keyward-test-unused", KEYWARD_TOKEN_PEPPER: "test-pepper-".padEnd(40, "x"),
    // Tests name the client address through X-Forwarded-For, so rate limits apply per test.
    KEYWARD_TRUST_PROXY: "1",
    ...env, });
  config.webDist = undefined;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger((env.KEYWARD_LOG_LEVEL as "debug") ?? "debug", sink);
  const deps = createDeps({ db, config, logger, serverSecret: Buffer.from(config.tokenPepper ?? "") });
  const app = createApp(deps);
  let counter = 0;

  const testApp: TestApp = {
    app,
    db,
    config,
    logs,
    async createUser(role = "member", overrides = {}) {
      passwordHash ??= hashPassword(TEST_PASSWORD);
      const roleId = role in builtInRoles ? builtInRoles[role as BuiltInRoleKey].id : role;
      const username = overrides.username ?? `${role.replace(/\W/g, "")}-${Date.now().toString(36)}-${counter++}`;
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
        headers: { "x-forwarded-for": ip ?? `10.1.${Math.floor(counter / 250) % 250}.${counter++ % 250}` },
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
      if (init.as) {
        headers.cookie = init.as.cookie;
        if ((init.method ?? "GET") !== "GET") headers[CSRF_HEADER] ??= init.as.csrf;
      }
      return Promise.resolve(
        app.request(path, {
          method: init.method ?? "GET",
          headers,
          body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
        }),
      );
    },
    close: () => db.drop(),
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

export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code;
}
