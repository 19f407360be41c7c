// Real processes for the reliability tests: a throwaway PostgreSQL cluster the test may stop and
// start at will (never the shared one), and Keyward servers started the way production starts them
// (`node --import tsx apps/server/src/main.ts`, configured by environment), reached over HTTP.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CSRF_COOKIE, CSRF_HEADER } from "@keyward/contracts/auth";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const serverMain = join(repoRoot, "apps/server/src/main.ts");

export const TEST_PEPPER = "reliability-pepper-".padEnd(48, "x");
export const ADMIN = { username: "owner", password: "reliability-test-password-1" };

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` answers something truthy, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** PG_BINDIR, else the newest /usr/lib/postgresql/<version>/bin (Debian and Ubuntu packages). */
function postgresBinDir(): string {
  const chosen = process.env.PG_BINDIR;
  if (chosen && existsSync(join(chosen, "initdb"))) return chosen;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(base, versions[0], "bin");
  throw new Error(
    "The reliability tests need PostgreSQL's server binaries (initdb, pg_ctl): set PG_BINDIR",
  );
}

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` OS user. */
async function asPostgresUser(bin: string, args: string[]): Promise<string> {
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

export interface Cluster {
  port: number;
  /** A URL for the cluster's `postgres` database over TCP. */
  url: string;
  /** Starts (or restarts) the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** Fast shutdown: open connections are terminated, as when an operator stops the database. */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Stops the server if running and deletes every file. Safe to call twice. */
  destroy(): Promise<void>;
}

/** initdb into a fresh temporary directory; the socket lives there too. Not started. */
export async function createCluster(): Promise<Cluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "keyward-pg-"));
  if (isRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, "data");
  await asPostgresUser(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const port = await freePort();
  let running = false;
  let destroyed = false;
  const pgCtl = (args: string[]) => asPostgresUser(join(bin, "pg_ctl"), ["-D", data, ...args]);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    get running() {
      return running;
    },
    async start() {
      await pgCtl([
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
        "-l",
        join(dir, "server.log"),
        "-w",
        "-t",
        "30",
        "start",
      ]);
      running = true;
    },
    async stop() {
      await pgCtl(["-m", "fast", "-w", "-t", "30", "stop"]);
      running = false;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (running) {
        await pgCtl(["-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => {});
        running = false;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote (JSON log lines and console output), for diagnosis. */
  output(): string;
  /** The exit code once exited, else undefined. */
  readonly exitCode: number | null | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within 8 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `node --import tsx apps/server/src/main.ts` and waits until /api/v1/health answers 200. */
export async function startServer(input: {
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "keyward-srv-"));
  const child = spawn(process.execPath, ["--import", "tsx", serverMain], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dataDir,
      DATABASE_URL: input.databaseUrl,
      KEYWARD_PORT: String(port),
      KEYWARD_HOST: "127.0.0.1",
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_TOKEN_PEPPER: TEST_PEPPER,
      KEYWARD_ADMIN_USERNAME: ADMIN.username,
      KEYWARD_ADMIN_PASSWORD: ADMIN.password,
      KEYWARD_LOG_LEVEL: "warn",
      KEYWARD_WEB_DIST: join(dataDir, "no-web-app"),
      ...input.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    port,
    child,
    output: () => output,
    get exitCode() {
      return exitCode;
    },
    async stop() {
      if (exitCode === undefined) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      `the server on port ${port} to answer /api/v1/health`,
      async () => {
        if (exitCode !== undefined) throw new Error(`server exited (${exitCode}):\n${output}`);
        const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
        return res.status === 200;
      },
      45_000,
      100,
    );
  } catch (error) {
    await server.stop();
    throw new Error(`${String(error)}\n--- server output ---\n${output}`);
  }
  return server;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  ms: number;
}

/** One JSON request; a request that takes longer than `timeoutMs` fails the caller's test. */
export async function http(
  base: string,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    token?: string;
    /** A signed-in browser: its cookies, and the CSRF header on writes. */
    session?: { cookie: string; csrf: string };
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<HttpAnswer & { headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.session) {
    headers.cookie = init.session.cookie;
    if ((init.method ?? "GET") !== "GET") headers[CSRF_HEADER] = init.session.csrf;
  }
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the assertion message.
  }
  return { status: res.status, body, ms: performance.now() - started, headers: res.headers };
}

/** Signs in over HTTP; answers the cookie header and CSRF token a browser would send. */
export async function login(
  base: string,
  credentials: { username: string; password: string } = ADMIN,
): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
    signal: AbortSignal.timeout(20_000),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookies = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    const eq = pair.indexOf("=");
    if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = decodeURIComponent(cookies.get(CSRF_COOKIE) ?? "");
  return { cookie, csrf };
}
