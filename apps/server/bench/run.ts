// `pnpm bench`: seeds 1,000,000 tokens over 100,000 users into a real PostgreSQL (DATABASE_URL,
// default the local server), starts Keyward, a bare Hono endpoint, the token layer alone
// (token-check-server.ts) and the framework's floor (framework-server.ts) as separate processes,
// and prints throughput and latency figures over HTTP. These machines are noisy: every throughput
// figure is the median of interleaved rounds and is printed next to the bare endpoint's.
//
//   pnpm bench                 all of it
//   BENCH_SECONDS=5 pnpm bench seconds per throughput round (default 5)
//   BENCH_ROUNDS=3 pnpm bench  interleaved rounds per throughput case (default 3)
//   BENCH_RESEED=1 pnpm bench  drop and seed the bench database again
import { cpus, loadavg, totalmem } from "node:os";
import { createDb } from "@keyward/db/client";
import { sql } from "@keyward/db/kysely";
import { AUTH_CHANNEL } from "../src/auth/invalidation.ts";
import { encodeCursor } from "../src/services/pagination.ts";
import { benchDatabaseUrl, prepareBenchDatabase } from "./bench-db.ts";
import {
  expectExits,
  loadMeasuringServer,
  log,
  type MeasuredLoad,
  median,
  ownerCookie,
  percentile,
  printTable,
  seconds,
  start,
  startFrameworkFloor,
  startKeyward,
  startTokenLayer,
  timed,
  waitFor,
  waitForQuiet,
} from "./harness.ts";
import { KNOWN_TOKENS, TOKENS, USERS } from "./seed.ts";

const APP = "http://127.0.0.1:18181";
const BARE = "http://127.0.0.1:18182";
const TOKEN_LAYER = "http://127.0.0.1:18183";
const FLOOR = "http://127.0.0.1:18185";
/** Interleaved rounds per throughput case; the medians steady with more on a noisy machine. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

async function main() {
  log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  await prepareBenchDatabase(log);
  const db = await createDb({ databaseUrl: benchDatabaseUrl(), poolSize: 2 });
  const pgVersion = (
    await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db.db)
  ).rows[0]?.v;
  log(
    `PostgreSQL ${pgVersion}; ${TOKENS.toLocaleString("en")} tokens, ${USERS.toLocaleString("en")} users`,
  );

  const app = startKeyward(18181);
  const bare = start("bare", ["apps/server/bench/bare-server.ts"], { PORT: "18182" });
  const tokenLayer = startTokenLayer(18183);
  const floor = startFrameworkFloor(18185);
  try {
    await Promise.all([
      waitFor(`${APP}/api/v1/health`),
      waitFor(`${BARE}/bare`),
      // Without a token the token layer answers 401: up is all this asks.
      waitFor(`${TOKEN_LAYER}/check`, (status) => status === 401),
      waitFor(`${FLOOR}/api/v1/me`),
    ]);
    const known = (
      await sql<{
        id: string;
        secret: string;
      }>`select id, secret from bench_secrets order by id`.execute(db.db)
    ).rows;
    if (known.length < KNOWN_TOKENS)
      throw new Error("bench_secrets is incomplete; run with BENCH_RESEED=1");

    // ---- token authentication throughput ---------------------------------------------------
    const warmSecret = known[0]?.secret ?? "";
    const warmHeaders = { authorization: `Bearer ${warmSecret}` };
    const check = await fetch(`${APP}/api/v1/me`, { headers: warmHeaders });
    if (check.status !== 200)
      throw new Error(`a known token does not authenticate: ${check.status}`);
    // A well-shaped token with a wrong checksum: refused before any cache or database work.
    const badChecksum = `${warmSecret.slice(0, -6)}AAAAAA`;
    let coldIndex = 1;
    const cold = () => ({ authorization: `Bearer ${known[coldIndex++ % known.length]?.secret}` });

    const series: Record<string, MeasuredLoad[]> = {
      bare: [],
      "token layer only, warm": [],
      "framework floor, the /me answer": [],
      warm: [],
      cold: [],
      malformed: [],
      "bare, answering that 401": [],
    };
    log(
      `\nThroughput, ${rounds} interleaved rounds of ${seconds} s at 50 connections (median shown):`,
    );
    for (let round = 0; round < rounds; round++) {
      // Each case starts on a quiet machine: a cold round leaves tens of thousands of last-used
      // times to write, and the bare endpoint measured during that write looked half as fast.
      await waitForQuiet();
      series.bare?.push(await loadMeasuringServer(bare, `${BARE}/bare`, {}));
      await waitForQuiet();
      series["token layer only, warm"]?.push(
        await loadMeasuringServer(tokenLayer, `${TOKEN_LAYER}/check`, { headers: warmHeaders }),
      );
      await waitForQuiet();
      series["framework floor, the /me answer"]?.push(
        await loadMeasuringServer(floor, `${FLOOR}/api/v1/me`, {}),
      );
      await waitForQuiet();
      series.warm?.push(
        await loadMeasuringServer(app, `${APP}/api/v1/me`, { headers: warmHeaders }),
      );
      // Every cold round starts with an empty verification cache: the server's own invalidation
      // channel is told that everything changed, as a role edit would.
      await sql`select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify({ kind: "all" })})`.execute(
        db.db,
      );
      await waitForQuiet();
      series.cold?.push(await loadMeasuringServer(app, `${APP}/api/v1/me`, { nextHeaders: cold }));
      await waitForQuiet();
      // From its own client address: the failures it piles up must not throttle the other cases.
      series.malformed?.push(
        await loadMeasuringServer(app, `${APP}/api/v1/me`, {
          headers: { authorization: `Bearer ${badChecksum}`, "x-forwarded-for": "198.51.100.7" },
        }),
      );
      await waitForQuiet();
      series["bare, answering that 401"]?.push(
        await loadMeasuringServer(bare, `${BARE}/refusal`, {}),
      );
    }
    const bareRps = median(series.bare?.map((r) => r.rps) ?? []);
    const rows: string[][] = [
      ["case", "req/s", "% of bare", "each round", "p99 ms", "server µs/req", "non-2xx", "errors"],
    ];
    for (const [name, results] of Object.entries(series)) {
      const rps = median(results.map((r) => r.rps));
      // Each round's ratio to the bare endpoint measured just before it: how far the machine's
      // noise moves the figure.
      const ratios = results.map((r, i) => (100 * r.rps) / (series.bare?.[i]?.rps ?? Number.NaN));
      rows.push([
        name,
        rps.toFixed(0),
        `${((100 * rps) / bareRps).toFixed(0)}%`,
        `${Math.min(...ratios).toFixed(0)}–${Math.max(...ratios).toFixed(0)}%`,
        median(results.map((r) => r.p99)).toFixed(1),
        median(results.map((r) => r.serverCpuUs)).toFixed(1),
        String(results.reduce((s, r) => s + r.non2xx, 0)),
        String(results.reduce((s, r) => s + r.errors, 0)),
      ]);
    }
    printTable(rows);
    log(
      `  (cold: each request of a round presents a token not used before in that round, the cache emptied before each round — ${Math.min(coldIndex - 1, known.length)} distinct tokens${coldIndex - 1 > known.length ? `, ${known.length} per cycle` : ""}; malformed answers 401 by design, and "bare, answering that 401" is the bare endpoint sending the same answer with no work behind it; "token layer only" is the bare endpoint plus Keyward's token check, without the app's request pipeline; "framework floor" is /me's answer from a Hono app with Keyward's route table and one middleware, authenticating nobody; server µs/req is the CPU time of the answering Node process per request, PostgreSQL's not included)`,
    );
    const floorRps = median(series["framework floor, the /me answer"]?.map((r) => r.rps) ?? []);
    const warmRps = median(series.warm?.map((r) => r.rps) ?? []);
    log(`  warm /me against the framework floor: ${((100 * warmRps) / floorRps).toFixed(0)}%`);

    // ---- list latency -------------------------------------------------------------------------
    const cookies = await ownerCookie(APP);
    const csrf = /kw_csrf=([^;]+)/.exec(cookies)?.[1] ?? "";
    const get = (path: string) => () => fetch(`${APP}${path}`, { headers: { cookie: cookies } });

    const deepCursor = async (sort: "createdAt" | "-createdAt" | "name" | "-expiresAt") => {
      const order = {
        createdAt: sql`created_at asc, id asc`,
        "-createdAt": sql`created_at desc, id desc`,
        name: sql`name asc, id asc`,
        "-expiresAt": sql`coalesce(expires_at, 'infinity'::timestamptz) desc, id desc`,
      }[sort];
      const row = (
        await sql<{ id: string; name: string; created_at: Date; expires_at: Date | null }>`
          select id, name, created_at, expires_at from api_tokens order by ${order} offset ${50 * 4999} limit 1`.execute(
          db.db,
        )
      ).rows[0];
      if (!row) throw new Error("no row for the deep cursor");
      const v =
        sort === "name"
          ? row.name
          : sort === "-expiresAt"
            ? (row.expires_at?.toISOString() ?? "infinity")
            : row.created_at.toISOString();
      return encodeCursor({ s: sort, v, i: row.id });
    };
    const someUser = "usr_b000000000004242";
    const cases: [string, string][] = [
      ["first page (default sort -createdAt)", "/api/v1/tokens?limit=50"],
      [
        "page 5,000 (default sort)",
        `/api/v1/tokens?limit=50&cursor=${await deepCursor("-createdAt")}`,
      ],
      ["first page sorted by name", "/api/v1/tokens?limit=50&sort=name"],
      [
        "page 5,000 sorted by name",
        `/api/v1/tokens?limit=50&sort=name&cursor=${await deepCursor("name")}`,
      ],
      [
        "page 5,000 sorted by -expiresAt",
        `/api/v1/tokens?limit=50&sort=-expiresAt&cursor=${await deepCursor("-expiresAt")}`,
      ],
      ["sorted by createdAt ascending", "/api/v1/tokens?limit=50&sort=createdAt"],
      ["sorted by -lastUsedAt", "/api/v1/tokens?limit=50&sort=-lastUsedAt"],
      ["sorted by userName", "/api/v1/tokens?limit=50&sort=userName"],
      ["sorted by createdByName", "/api/v1/tokens?limit=50&sort=-createdByName"],
      ["sorted by status", "/api/v1/tokens?limit=50&sort=status"],
      ["filter name (search 'grafana-12')", "/api/v1/tokens?limit=50&name=grafana-12"],
      ["filter name, rare ('ing-99999')", "/api/v1/tokens?limit=50&name=ing-99999"],
      [
        "filter name ('grafana-1'), sorted by name",
        "/api/v1/tokens?limit=50&name=grafana-1&sort=name",
      ],
      [
        "filter name, a common word, sorted by name",
        "/api/v1/tokens?limit=50&name=grafana&sort=name",
      ],
      ["filter userId", `/api/v1/tokens?limit=50&userId=${someUser}`],
      [
        "filter two userIds",
        `/api/v1/tokens?limit=50&userId=${someUser}&userId=usr_b000000000004243`,
      ],
      ["filter createdBy", "/api/v1/tokens?limit=50&createdBy=usr_b000000000000050"],
      ["filter status=disabled", "/api/v1/tokens?limit=50&status=disabled"],
      ["filter expiry=expired", "/api/v1/tokens?limit=50&expiry=expired"],
      ["filter expiry=never", "/api/v1/tokens?limit=50&expiry=never"],
      ["filter expiry=within:7", "/api/v1/tokens?limit=50&expiry=within:7"],
      [
        "filter expires between dates",
        `/api/v1/tokens?limit=50&expiresAfter=${new Date(Date.now() + 10 * 86_400_000).toISOString()}&expiresBefore=${new Date(Date.now() + 12 * 86_400_000).toISOString()}`,
      ],
      ["filter lastUsed=idle:30 (not used in 30 days)", "/api/v1/tokens?limit=50&lastUsed=idle:30"],
      [
        "lastUsed=never, sorted by -lastUsedAt",
        "/api/v1/tokens?limit=50&lastUsed=never&sort=-lastUsedAt",
      ],
      [
        "expiry=within:7, sorted by -lastUsedAt",
        "/api/v1/tokens?limit=50&expiry=within:7&sort=-lastUsedAt",
      ],
      [
        "status=enabled + expiry=within:30, sorted by name",
        "/api/v1/tokens?limit=50&status=enabled&expiry=within:30&sort=name",
      ],
      [
        "expiry=expired, sorted by -expiresAt",
        "/api/v1/tokens?limit=50&expiry=expired&sort=-expiresAt",
      ],
      [
        "status=disabled + expiry=within:30, sorted by -expiresAt",
        "/api/v1/tokens?limit=50&status=disabled&expiry=within:30&sort=-expiresAt",
      ],
      [
        "status=disabled, sorted by -lastUsedAt",
        "/api/v1/tokens?limit=50&status=disabled&sort=-lastUsedAt",
      ],
      ["status=disabled, sorted by name", "/api/v1/tokens?limit=50&status=disabled&sort=name"],
      [
        "filter name, a common word, sorted by status",
        "/api/v1/tokens?limit=50&name=grafana&sort=status",
      ],
      [
        "the token page's expiring-soon notice (1 row)",
        "/api/v1/tokens?limit=1&status=enabled&expiry=within:7&sort=expiresAt",
      ],
      [
        "the token page's idle-tokens notice (1 row; idle:30, as none are 90 days old)",
        "/api/v1/tokens?limit=1&status=enabled&lastUsed=idle:30&sort=lastUsedAt",
      ],
    ];
    log("\nGET /api/v1/tokens, 50 rows, signed in as the owner (30 sequential requests each):");
    const listRows: string[][] = [["case", "p50 ms", "p95 ms", "total"]];
    for (const [name, path] of cases) {
      const sample = (await (await get(path)()).json()) as {
        total: number;
        totalIsEstimate: boolean;
      };
      const times = await timed(get(path), 30);
      listRows.push([
        name,
        percentile(times, 50).toFixed(1),
        percentile(times, 95).toFixed(1),
        `${sample.total}${sample.totalIsEstimate ? " (est.)" : ""}`,
      ]);
    }
    printTable(listRows);

    // ---- bulk -----------------------------------------------------------------------------------
    log("\nPOST /api/v1/tokens/bulk, 10,000 ids (3 runs, disable then enable again):");
    const bulkTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const ids = known.slice(run * 10_000 + 20_000, run * 10_000 + 30_000).map((k) => k.id);
      for (const action of ["disable", "enable"] as const) {
        const t0 = performance.now();
        const res = await fetch(`${APP}/api/v1/tokens/bulk`, {
          method: "POST",
          headers: {
            cookie: cookies,
            "x-csrf-token": decodeURIComponent(csrf),
            "content-type": "application/json",
          },
          body: JSON.stringify({ action, ids }),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`bulk ${action} failed: ${res.status}`);
        if (action === "disable") bulkTimes.push(performance.now() - t0);
      }
    }
    log(
      `  disable 10,000: median ${median(bulkTimes).toFixed(0)} ms (runs: ${bulkTimes.map((t) => t.toFixed(0)).join(", ")} ms)`,
    );
    log(
      `\nLoad average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} (on ${cpus().length} cores)`,
    );
  } finally {
    expectExits();
    app.kill("SIGTERM");
    bare.kill("SIGTERM");
    tokenLayer.kill("SIGTERM");
    floor.kill("SIGTERM");
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
