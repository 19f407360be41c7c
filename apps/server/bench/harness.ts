// What the bench scripts share: starting the servers, waiting for them and for a quiet machine,
// generating load with autocannon, reading a process's CPU time, and printing tables.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";
import { BENCH_PEPPER, benchDatabaseUrl } from "./bench-db.ts";
import { OWNER } from "./seed.ts";

export const root = new URL("../../../", import.meta.url).pathname;

/** Starts Keyward itself on the bench database. */
export function startKeyward(port: number): ChildProcess {
  return start("keyward", ["apps/server/src/main.ts"], {
    DATABASE_URL: benchDatabaseUrl(),
    KEYWARD_PORT: String(port),
    KEYWARD_HOST: "127.0.0.1",
    KEYWARD_TOKEN_PEPPER: BENCH_PEPPER,
    KEYWARD_ADMIN_USERNAME: OWNER.username,
    KEYWARD_ADMIN_PASSWORD: OWNER.password,
    KEYWARD_LOG_LEVEL: "warn",
    // The load generator stands in for several clients by naming them in X-Forwarded-For.
    KEYWARD_TRUST_PROXY: "1",
    KEYWARD_DATA_DIR: "/tmp/keyward-bench-data",
  });
}

/** Starts the token layer alone (token-check-server.ts) on the bench database. */
export function startTokenLayer(port: number): ChildProcess {
  return start("token layer", ["apps/server/bench/token-check-server.ts"], {
    PORT: String(port),
    DATABASE_URL: benchDatabaseUrl(),
    KEYWARD_TOKEN_PEPPER: BENCH_PEPPER,
  });
}
/** Starts the framework's floor (framework-server.ts): Keyward's route table, no Keyward work. */
export function startFrameworkFloor(port: number): ChildProcess {
  return start("framework floor", ["apps/server/bench/framework-server.ts"], {
    PORT: String(port),
  });
}

export const seconds = Number(process.env.BENCH_SECONDS ?? 5);

export const log = (line: string) => console.log(line);
export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

export function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`${name} exited early (${code ?? signal})`);
  });
  return child;
}
let stopping = false;
/** From here on, a server exiting is expected. */
export function expectExits() {
  stopping = true;
}

/** Waits until `url` answers; `accept` says which status counts (default: any 2xx). */
export async function waitFor(url: string, accept = (status: number) => status < 300) {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (accept(res.status)) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** CPU time (ms) used so far by the processes whose command name is one of `names`. */
export function cpuTimeMs(names: string[]): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const used = processCpu(pid);
    if (used && names.includes(used.name)) total += used.ms;
  }
  return total;
}

/** CPU time (ms, all threads) used so far by one process. Linux only (/proc). */
export function cpuTimeMsOf(pid: number): number {
  return processCpu(String(pid))?.ms ?? Number.NaN;
}

function processCpu(pid: string): { name: string; ms: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime + stime, in clock ticks of 10 ms.
    return { name, ms: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return undefined;
  }
}

/**
 * Waits (up to 30 s) until the servers and PostgreSQL use under 10% of a core over half a
 * second, so one case's aftermath (buffered writes, autovacuum) is not billed to the next.
 * Linux only (/proc); elsewhere it returns at once.
 */
export async function waitForQuiet(): Promise<void> {
  if (!existsSync("/proc/self/stat")) return;
  const names = ["node", "postgres"];
  const deadline = Date.now() + 30_000;
  let before = cpuTimeMs(names);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuTimeMs(names);
    if (now - before < 50) return;
    before = now;
  }
}

export interface LoadResult {
  rps: number;
  /** Requests answered in the whole run. */
  requests: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** A load() result with the server's CPU time per request (loadMeasuringServer). */
export type MeasuredLoad = LoadResult & { serverCpuUs: number };

/**
 * load(), also reading the CPU time the server's process used meanwhile (Linux: /proc): per
 * request, a figure the load generator's share of the machine moves less than throughput.
 */
export async function loadMeasuringServer(
  server: ChildProcess,
  url: string,
  options: Parameters<typeof load>[1],
): Promise<MeasuredLoad> {
  const before = cpuTimeMsOf(server.pid ?? 0);
  const result = await load(url, options);
  const usedMs = cpuTimeMsOf(server.pid ?? 0) - before;
  return { ...result, serverCpuUs: (usedMs * 1000) / result.requests };
}

export async function load(
  url: string,
  options: {
    headers?: Record<string, string>;
    nextHeaders?: () => Record<string, string>;
    connections?: number;
  },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 50,
    duration: seconds,
    headers: options.headers,
    requests: options.nextHeaders
      ? [
          {
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, ...options.nextHeaders?.() },
            }),
          },
        ]
      : undefined,
  });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function timed(fn: () => Promise<Response>, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await fn();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

export function printTable(rows: string[][]) {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const [n, row] of rows.entries()) {
    log(
      `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")}`,
    );
    if (n === 0) log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  }
}

/** Signs in as the bench database's owner: the session's cookie header. */
export async function ownerCookie(app: string): Promise<string> {
  const login = await fetch(`${app}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(OWNER),
  });
  if (!login.ok) throw new Error(`owner login failed: ${login.status}`);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
