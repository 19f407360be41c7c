// `pnpm bench:pipeline`: where a warm token request's time goes. Measures, over HTTP at 50
// connections, the bare endpoint, the same with the headers every API answer carries, then with
// an answer shaped like GET /api/v1/me, the token layer alone, the framework's floor (that answer
// from a Hono app with Keyward's route table and one middleware), and Keyward's real /me with a
// warm token, and prints each one's throughput next to the bare endpoint's with the server CPU
// it used per request (Linux: read from /proc). Uses the database `pnpm bench` seeds (seeding it
// if needed).
//
//   BENCH_SECONDS=5 pnpm bench:pipeline   seconds per round (default 5); 3 interleaved rounds
import type { ChildProcess } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { createDb } from "@keyward/db/client";
import { sql } from "@keyward/db/kysely";
import { benchDatabaseUrl, prepareBenchDatabase } from "./bench-db.ts";
import {
  expectExits,
  loadMeasuringServer,
  log,
  median,
  printTable,
  seconds,
  start,
  startFrameworkFloor,
  startKeyward,
  startTokenLayer,
  waitFor,
  waitForQuiet,
} from "./harness.ts";

const STEPS = "http://127.0.0.1:18184";
const TOKEN_LAYER = "http://127.0.0.1:18183";
const FLOOR = "http://127.0.0.1:18185";
const APP = "http://127.0.0.1:18181";
const rounds = 3;
const FLOOR_STEP = "framework floor: that answer via the app's routes";
const APP_STEP = "Keyward GET /api/v1/me, warm token";

async function main() {
  log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  await prepareBenchDatabase(log);
  const db = await createDb({ databaseUrl: benchDatabaseUrl(), poolSize: 1 });
  const steps = start("steps", ["apps/server/bench/pipeline-steps-server.ts"], { PORT: "18184" });
  const tokenLayer = startTokenLayer(18183);
  const floor = startFrameworkFloor(18185);
  const app = startKeyward(18181);
  try {
    await Promise.all([
      waitFor(`${STEPS}/bare`),
      waitFor(`${TOKEN_LAYER}/check`, (status) => status === 401),
      waitFor(`${FLOOR}/api/v1/me`),
      waitFor(`${APP}/api/v1/health`),
    ]);
    const secret = (
      await sql<{ secret: string }>`select secret from bench_secrets order by id limit 1`.execute(
        db.db,
      )
    ).rows[0]?.secret;
    if (!secret) throw new Error("bench_secrets is empty; run with BENCH_RESEED=1");
    const headers = { authorization: `Bearer ${secret}` };

    const cases: [name: string, server: ChildProcess, url: string][] = [
      ["bare endpoint", steps, `${STEPS}/bare`],
      ["+ the API answer headers", steps, `${STEPS}/headers`],
      ["+ an answer shaped like /me", steps, `${STEPS}/headers-answer`],
      ["bare + the token check (token layer)", tokenLayer, `${TOKEN_LAYER}/check`],
      [FLOOR_STEP, floor, `${FLOOR}/api/v1/me`],
      [APP_STEP, app, `${APP}/api/v1/me`],
    ];
    const results = new Map(
      cases.map(([name]) => [name, { rps: [] as number[], us: [] as number[] }]),
    );
    log(`\n${rounds} interleaved rounds of ${seconds} s at 50 connections (medians):`);
    for (let round = 0; round < rounds; round++) {
      for (const [name, server, url] of cases) {
        await waitForQuiet();
        const result = await loadMeasuringServer(server, url, { headers });
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        results.get(name)?.rps.push(result.rps);
        results.get(name)?.us.push(result.serverCpuUs);
      }
    }
    const bareRps = median(results.get("bare endpoint")?.rps ?? []);
    const rows = [["step", "req/s", "% of bare", "server CPU µs/req"]];
    for (const [name, { rps, us }] of results) {
      rows.push([
        name,
        median(rps).toFixed(0),
        `${((100 * median(rps)) / bareRps).toFixed(0)}%`,
        median(us).toFixed(1),
      ]);
    }
    printTable(rows);
    const floorStep = results.get(FLOOR_STEP);
    const appStep = results.get(APP_STEP);
    if (floorStep && appStep) {
      log(
        `  Keyward's warm /me: ${((100 * median(appStep.rps)) / median(floorStep.rps)).toFixed(0)}% of the framework floor's throughput, ${(median(appStep.us) - median(floorStep.us)).toFixed(1)} µs more server CPU per request`,
      );
    }
    log(
      "  (server CPU counts every thread of the server process; the load generator shares the machine)",
    );
  } finally {
    expectExits();
    for (const server of [steps, tokenLayer, floor, app]) server.kill("SIGTERM");
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
