// `pnpm bench:lists`: every filter of GET /api/v1/tokens with every sort, both directions, first
// page of 50, on the database `pnpm bench` seeds (1,000,000 tokens; seeded here if needed),
// signed in as the bench owner. `pnpm bench` measures a chosen few pairs; this finds the slow ones
// among all 238. Prints, per filter, the median of 7 requests for each sort that took over
// BENCH_SLOW_MS (default 20) on a first request, then how many pairs stayed under it.
//
//   pnpm bench:lists                      the sweep
//   BENCH_FILTERS=disabled,never pnpm bench:lists   only the named filters (first column)
//   BENCH_SLOW_MS=0 pnpm bench:lists      every pair's median
import { cpus, totalmem } from "node:os";
import { tokenSortFields } from "@keyward/contracts/tokens";
import { prepareBenchDatabase } from "./bench-db.ts";
import {
  expectExits,
  log,
  ownerCookie,
  percentile,
  startKeyward,
  timed,
  waitFor,
} from "./harness.ts";

const APP = "http://127.0.0.1:18185";
const DAY_MS = 86_400_000;
const slowMs = Number(process.env.BENCH_SLOW_MS ?? 20);
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

const filters: [name: string, query: string][] = [
  ["none", ""],
  ["name grafana-12", "name=grafana-12"],
  ["name rare", "name=ing-99999"],
  ["name common word", "name=grafana"],
  ["one user", "userId=usr_b000000000004242"],
  ["creator", "createdBy=usr_b000000000000050"],
  ["disabled", "status=disabled"],
  ["enabled", "status=enabled"],
  ["expired", "expiry=expired"],
  ["never", "expiry=never"],
  ["within:7", "expiry=within:7"],
  ["within:30", "expiry=within:30"],
  ["between two dates", `expiresAfter=${inDays(10)}&expiresBefore=${inDays(12)}`],
  ["before +10 days", `expiresBefore=${inDays(10)}`],
  ["after +300 days", `expiresAfter=${inDays(300)}`],
  ["disabled within:30", "status=disabled&expiry=within:30"],
  ["disabled expired", "status=disabled&expiry=expired"],
  ["never used", "lastUsed=never"],
  ["used within:1", "lastUsed=within:1"],
  ["idle:30", "lastUsed=idle:30"],
  ["idle:60", "lastUsed=idle:60"],
  ["disabled idle:30", "status=disabled&lastUsed=idle:30"],
];
const sorts = tokenSortFields.flatMap((field) => [field, `-${field}`]);

async function main() {
  log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  await prepareBenchDatabase(log);
  const app = startKeyward(18185);
  try {
    await waitFor(`${APP}/api/v1/health`);
    const cookie = await ownerCookie(APP);
    const get = (path: string) => () => fetch(`${APP}${path}`, { headers: { cookie } });
    const only = process.env.BENCH_FILTERS?.split(",");

    log(
      `\nGET /api/v1/tokens, 50 rows, every filter × ${sorts.length} sorts: medians of 7 (ms) where a first request took over ${slowMs} ms`,
    );
    let pairs = 0;
    let fast = 0;
    for (const [name, query] of filters) {
      if (only && !only.includes(name)) continue;
      const slow: string[] = [];
      for (const sort of sorts) {
        const path = `/api/v1/tokens?limit=50&sort=${sort}${query ? `&${query}` : ""}`;
        pairs++;
        const started = performance.now();
        const res = await get(path)();
        if (!res.ok) throw new Error(`${path}: ${res.status}`);
        await res.json();
        if (performance.now() - started <= slowMs) {
          fast++;
          continue;
        }
        const p50 = percentile(await timed(get(path), 7), 50);
        if (p50 <= slowMs) fast++;
        else slow.push(`${sort} ${p50.toFixed(0)}`);
      }
      log(`  ${`${name}:`.padEnd(22)}${slow.join(", ") || "—"}`);
    }
    log(`  ${fast} of ${pairs} pairs at or under ${slowMs} ms (median, or a first request)`);
  } finally {
    expectExits();
    app.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
