// `pnpm soak`: starts Keyward as a child process on a fresh database, sets up users and tokens
// through the public API, then drives a mixed workload (token-authenticated requests, verify,
// list pages with filters and cursors, create, regenerate, edit, bulk enable/disable/delete,
// delete) from concurrent workers for a chosen time. Every answer is checked (see
// soak-workload.ts); it prints throughput, p50/p99 and errors per request kind, and the server's
// memory (RSS from /proc, heap through an IPC probe) at start, end and as a growth rate over the
// second half. Exits 1 when anything unexpected happened. Ctrl-C ends the run early and reports.
//
//   pnpm soak                       60 s, 16 workers, on the local PostgreSQL
//   SOAK_SECONDS=600 pnpm soak      a ten-minute soak (the figure the README quotes)
//   SOAK_WORKERS=32 pnpm soak       concurrent workers (default 16)
//   SOAK_TOKENS=500 pnpm soak       size of the token pool the workload keeps (default 300)
//   SOAK_ENGINE=pglite pnpm soak    the embedded database instead of PostgreSQL
//   SOAK_SHARED_ADDRESS=1 pnpm soak deliberately refused secrets from the workers' own address
//
// PostgreSQL: database keyward_soak on DATABASE_URL's server (default the local one), dropped
// and created again each run. PGlite: a fresh data directory under /tmp.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import type { Readable } from "node:stream";
import { adminQuery } from "./bench-db.ts";
import {
  type MemorySample,
  percentile,
  printTable,
  Recorder,
  slopePerMinute,
} from "./soak-stats.ts";
import { Workload } from "./soak-workload.ts";

const root = new URL("../../../", import.meta.url).pathname;
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const workers = Number(process.env.SOAK_WORKERS ?? 16);
const targetTokens = Number(process.env.SOAK_TOKENS ?? 300);
const engine = process.env.SOAK_ENGINE === "pglite" ? "pglite" : "postgres";
const SAMPLE_MS = 5000;
const DB_NAME = "keyward_soak";
const DATA_DIR = "/tmp/keyward-soak-data";
const PEPPER = "soak-pepper-not-a-real-secret-0123456789";
const OWNER = { username: "soak-owner", password: "soak-owner-password-2026" };
const USERS = 12;

const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const log = (line: string) => console.log(line);
const mb = (bytes: number) => bytes / 2 ** 20;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function soakDatabaseUrl(): string {
  const url = new URL(baseUrl);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

// ---- the server under test ---------------------------------------------------------------------

let server: ChildProcess | undefined;
let serverExited = false;
/** Server log lines (all at warn or above) by level, message, error and where it was thrown. */
const serverLog = new Map<string, number>();

function startServer(port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      new URL("./soak-probe.ts", import.meta.url).pathname,
      "apps/server/src/main.ts",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: engine === "postgres" ? soakDatabaseUrl() : "",
        KEYWARD_PORT: String(port),
        KEYWARD_HOST: "127.0.0.1",
        KEYWARD_TOKEN_PEPPER: PEPPER,
        KEYWARD_ADMIN_USERNAME: OWNER.username,
        KEYWARD_ADMIN_PASSWORD: OWNER.password,
        KEYWARD_LOG_LEVEL: "warn",
        KEYWARD_DATA_DIR: DATA_DIR,
        // Deliberately refused secrets come from addresses of their own (soak-workload.ts).
        KEYWARD_TRUST_PROXY: "1",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
    },
  );
  // The logger writes JSON lines to stdout; crashes land on stderr. Both are counted, not shown.
  for (const stream of [child.stdout, child.stderr]) collectLog(stream);
  child.on("exit", (code, signal) => {
    serverExited = true;
    if (!stopping)
      console.error(
        `The server exited during the soak (${code ?? signal}${code === 0 ? ": a clean shutdown, so something sent it SIGTERM or SIGINT" : ""}).`,
      );
  });
  return child;
}

/** `error request failed POST /api/v1/tokens/bulk 500`, `warn …: deadlock detected at file:line`. */
function summarizeLogLine(line: string): string {
  let entry: {
    level?: number;
    msg?: string;
    method?: string;
    path?: string;
    status?: number;
    err?: { message?: string; stack?: string };
  };
  try {
    entry = JSON.parse(line);
  } catch {
    return `error (not a log line) ${line.slice(0, 200)}`;
  }
  // pino levels: 40 warn, 50 error, 60 fatal.
  const level = (entry.level ?? 50) >= 50 ? "error" : "warn";
  const where = /\/apps\/server\/src\/([^:)]+:\d+)/.exec(entry.err?.stack ?? "")?.[1];
  return [
    level,
    entry.msg ?? "",
    entry.method ? `${entry.method} ${entry.path} ${entry.status}` : "",
    entry.err ? `: ${entry.err.message}${where ? ` (${where})` : ""}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function collectLog(stream: Readable | null) {
  let buffered = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf("\n");
      if (!line.trim()) continue;
      const key = summarizeLogLine(line);
      serverLog.set(key, (serverLog.get(key) ?? 0) + 1);
    }
  });
}
let stopping = false;

function stopServer() {
  stopping = true;
  if (server && !serverExited) server.kill("SIGTERM");
}
process.on("exit", () => {
  if (server && !serverExited) server.kill("SIGKILL");
});
// The server runs in its own process group, so Ctrl-C reaches only this script: during the soak
// the first one ends the run early with a report; otherwise (and the second time) it stops all.
let onInterrupt: () => void = () => {
  stopServer();
  process.exit(130);
};
process.on("SIGINT", () => onInterrupt());
process.on("SIGTERM", () => {
  stopServer();
  process.exit(143);
});

async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    if (serverExited) break;
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** The server's process.memoryUsage(), through soak-probe.ts; undefined if it does not answer. */
function heap(child: ChildProcess): Promise<NodeJS.MemoryUsage | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      resolve(undefined);
    }, 2000);
    const onMessage = (message: unknown) => {
      if (typeof message === "object" && message && "memory" in message) {
        clearTimeout(timer);
        child.off("message", onMessage);
        resolve((message as { memory: NodeJS.MemoryUsage }).memory);
      }
    };
    child.on("message", onMessage);
    child.send("memory?");
  });
}

async function sample(child: ChildProcess, t: number): Promise<MemorySample> {
  const rss = rssMb(child.pid as number);
  const memory = await heap(child);
  return {
    t,
    rssMb: rss,
    ...(memory
      ? {
          heapUsedMb: mb(memory.heapUsed),
          heapTotalMb: mb(memory.heapTotal),
          externalMb: mb(memory.external),
        }
      : {}),
  };
}

// ---- setup through the public API -----------------------------------------------------------

async function signIn(app: string) {
  const res = await fetch(`${app}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(OWNER),
  });
  if (!res.ok) throw new Error(`owner sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const csrf = decodeURIComponent(/kw_csrf=([^;]+)/.exec(cookie)?.[1] ?? "");
  return { cookie, csrf };
}

async function createUsers(app: string, session: { cookie: string; csrf: string }) {
  const ids: string[] = [];
  for (let i = 1; i <= USERS; i++) {
    const res = await fetch(`${app}/api/v1/users`, {
      method: "POST",
      headers: {
        cookie: session.cookie,
        "x-csrf-token": session.csrf,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        username: `soak-member-${i}`,
        displayName: `Soak Member ${i}`,
        roleId: "rol_member",
        password: "soak-member-password-2026",
      }),
    });
    if (res.status !== 201)
      throw new Error(`creating a user failed: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
  log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  log(`Load average at start: ${load()} (other work on the machine shares these cores)`);
  if (engine === "postgres") {
    await adminQuery(`drop database if exists ${DB_NAME} with (force)`);
    await adminQuery(`create database ${DB_NAME}`);
    const version = (await adminQuery("select current_setting('server_version') as v")).rows[0]
      ?.v as string;
    log(`Database: PostgreSQL ${version}, fresh database ${DB_NAME}`);
  } else {
    log(`Database: embedded PGlite in a fresh ${DATA_DIR}`);
  }
  rmSync(DATA_DIR, { recursive: true, force: true });

  const port = await freePort();
  const app = `http://127.0.0.1:${port}`;
  server = startServer(port);
  const child = server;
  await waitFor(`${app}/api/v1/health`);
  const boot = await sample(child, 0);

  const session = await signIn(app);
  const userIds = await createUsers(app, session);
  const rec = new Recorder();
  const workload = new Workload(app, session, userIds, rec, { targetTokens });
  while (workload.poolSize < targetTokens && rec.errorCount === 0) await workload.create();
  if (rec.errorCount > 0) throw new Error(`setup failed: ${[...rec.errors.keys()].join("; ")}`);
  log(
    `Setup: ${USERS} members and ${workload.poolSize} tokens through the API; server RSS ${boot.rssMb.toFixed(0)} MB after boot`,
  );
  rec.latencies.clear();
  rec.requests = 0;

  // ---- the soak -------------------------------------------------------------------------------
  log(`\nSoak: ${seconds} s, ${workers} workers, pool of ~${targetTokens} tokens`);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let deadline = started + seconds * 1000;
  const hardStop = onInterrupt;
  onInterrupt = () => {
    // Under `pnpm soak` one Ctrl-C arrives twice (from the terminal, and relayed by tsx).
    const first = Date.now();
    onInterrupt = () => {
      if (Date.now() - first > 1000) hardStop();
    };
    deadline = 0;
    log("\nInterrupted: finishing the requests in flight and reporting (Ctrl-C again to quit).");
  };

  const samples: MemorySample[] = [await sample(child, 0)];
  const progressEvery = seconds <= 120 ? 10 : 30;
  let lastProgress = { t: 0, requests: 0, errors: 0 };
  const sampler = setInterval(async () => {
    if (serverExited) return;
    const s = await sample(child, elapsed());
    samples.push(s);
    if (s.t - lastProgress.t >= progressEvery - 0.5) {
      const rps = (rec.requests - lastProgress.requests) / (s.t - lastProgress.t);
      log(
        `  ${s.t.toFixed(0).padStart(4)} s  ${rps.toFixed(0).padStart(5)} req/s  errors ${String(rec.errorCount - lastProgress.errors).padStart(3)}  RSS ${s.rssMb.toFixed(1)} MB${s.heapUsedMb === undefined ? "" : `  heap ${s.heapUsedMb.toFixed(1)}/${s.heapTotalMb?.toFixed(1)} MB`}  tokens ${workload.poolSize}`,
      );
      lastProgress = { t: s.t, requests: rec.requests, errors: rec.errorCount };
    }
  }, SAMPLE_MS);

  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline && !serverExited) await workload.step();
    }),
  );
  const duration = elapsed();
  clearInterval(sampler);
  if (!serverExited) samples.push(await sample(child, duration));
  if (serverExited) rec.error("server: exited during the soak", "see the message above");

  // ---- report ---------------------------------------------------------------------------------
  log(`\nResults over ${duration.toFixed(1)} s (${workers} workers):`);
  const rows: string[][] = [["request", "count", "req/s", "p50 ms", "p99 ms", "max ms"]];
  const kinds = [...rec.latencies.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [kind, times] of kinds) {
    const sorted = [...times].sort((a, b) => a - b);
    rows.push([
      kind,
      String(times.length),
      (times.length / duration).toFixed(1),
      percentile(sorted, 50).toFixed(1),
      percentile(sorted, 99).toFixed(1),
      (sorted[sorted.length - 1] ?? 0).toFixed(0),
    ]);
  }
  const all = kinds.flatMap(([, t]) => t).sort((a, b) => a - b);
  rows.push([
    "all",
    String(all.length),
    (all.length / duration).toFixed(1),
    percentile(all, 50).toFixed(1),
    percentile(all, 99).toFixed(1),
    (all[all.length - 1] ?? 0).toFixed(0),
  ]);
  printTable(rows, log);

  const first = samples[0] as MemorySample;
  const last = samples[samples.length - 1] as MemorySample;
  const secondHalf = samples.filter((s) => s.t >= duration / 2);
  const firstHalf = samples.filter((s) => s.t < duration / 2);
  const maxRss = Math.max(...samples.map((s) => s.rssMb));
  log(
    `\nServer memory (${samples.length} samples every ${SAMPLE_MS / 1000} s): RSS ${boot.rssMb.toFixed(1)} MB after boot, ${first.rssMb.toFixed(1)} MB at the start of the soak, ${last.rssMb.toFixed(1)} MB at the end, ${maxRss.toFixed(1)} MB at most`,
  );
  const rssSlope = (points: MemorySample[]) =>
    slopePerMinute(points.map((s) => ({ t: s.t, y: s.rssMb })));
  const lowest = (points: MemorySample[]) => Math.min(...points.map((s) => s.rssMb));
  const mean = (points: MemorySample[]) =>
    points.reduce((sum, s) => sum + s.rssMb, 0) / Math.max(1, points.length);
  log(
    `  RSS mean: ${mean(firstHalf).toFixed(1)} MB over the first half, ${mean(secondHalf).toFixed(1)} MB over the second half; lowest (after a collection): ${lowest(firstHalf).toFixed(1)} and ${lowest(secondHalf).toFixed(1)} MB`,
  );
  log(
    `  RSS growth: ${rssSlope(firstHalf).toFixed(2)} MB/min over the first half, ${rssSlope(secondHalf).toFixed(2)} MB/min over the second half (least-squares slope)`,
  );
  if (first.heapUsedMb !== undefined && last.heapUsedMb !== undefined) {
    const heapSlope = slopePerMinute(
      secondHalf.flatMap((s) => (s.heapUsedMb === undefined ? [] : [{ t: s.t, y: s.heapUsedMb }])),
    );
    log(
      `  Heap used: ${first.heapUsedMb.toFixed(1)} MB at the start, ${last.heapUsedMb.toFixed(1)} MB at the end, ${heapSlope.toFixed(2)} MB/min over the second half (no forced GC: a sawtooth)`,
    );
  }
  log(`  Token pool at the end: ${workload.poolSize} tokens`);
  const { sent, addresses } = workload.refusals;
  log(
    `  Deliberately refused secrets: ${sent}, from ${addresses} address${addresses === 1 ? "" : "es"} (${process.env.SOAK_SHARED_ADDRESS ? "the workers' own" : "X-Forwarded-For, so the per-address token limiter never trips"})`,
  );

  if (serverLog.size > 0) {
    log("\nServer log (warnings and errors):");
    for (const [key, count] of serverLog) log(`  ${count} × ${key}`);
  }
  const serverErrors = [...serverLog].some(([key]) => key.startsWith("error"));

  if (serverErrors) process.exitCode = 1;
  if (rec.errorCount === 0) {
    log("\nErrors: none.");
  } else {
    log(`\nErrors: ${rec.errorCount}`);
    for (const [kind, { count, samples: bodies }] of rec.errors) {
      log(`  ${count} × ${kind}`);
      for (const body of bodies) log(`      ${body}`);
    }
    process.exitCode = 1;
  }
  log(`\nLoad average at the end: ${load()} (on ${cpus().length} cores)`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    stopServer();
    if (server && !serverExited)
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 6000);
        server?.once("exit", () => resolve(clearTimeout(timer)));
      });
    // The PostgreSQL database stays for a look afterwards; the next run drops it.
    process.exit();
  });
