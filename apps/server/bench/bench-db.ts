// The benchmark database shared by `pnpm bench` and the browser benchmark: 1,000,000 tokens over
// 100,000 users in database keyward_bench on the local PostgreSQL (DATABASE_URL's server), seeded
// once and kept; BENCH_RESEED=1 seeds it again.
import { createDb } from "@keyward/db/client";
import { sql } from "@keyward/db/kysely";
import { migrateToLatest } from "@keyward/db/migrate";
import pg from "pg";
import { isSeeded, seed, TOKENS, USERS } from "./seed.ts";

export const BENCH_DB_NAME = "keyward_bench";
/** The pepper the seed hashed its known secrets with; servers under benchmark must use it. */
export const BENCH_PEPPER = "bench-pepper-not-a-real-secret-0123456789";

const baseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

export async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export function benchDatabaseUrl(): string {
  const url = new URL(baseUrl);
  url.pathname = `/${BENCH_DB_NAME}`;
  return url.toString();
}

/** Creates, migrates and seeds the bench database unless it is already seeded. */
export async function prepareBenchDatabase(log: (line: string) => void): Promise<void> {
  if (process.env.BENCH_RESEED)
    await adminQuery(`drop database if exists ${BENCH_DB_NAME} with (force)`);
  const exists = await adminQuery(`select 1 from pg_database where datname = '${BENCH_DB_NAME}'`);
  if (!exists.rowCount) await adminQuery(`create database ${BENCH_DB_NAME}`);
  const handle = await createDb({
    databaseUrl: benchDatabaseUrl(),
    poolSize: 4,
    statementTimeoutMs: 0,
  });
  try {
    await migrateToLatest(handle.db);
    if (!(await isSeeded(handle.db))) {
      log(
        `Seeding ${USERS.toLocaleString("en")} users and ${TOKENS.toLocaleString("en")} tokens (once; kept in database ${BENCH_DB_NAME})…`,
      );
      await seed(handle.db, Buffer.from(BENCH_PEPPER), (l) => log(`  ${l}`));
    } else {
      log(`Reusing the seeded database ${BENCH_DB_NAME} (BENCH_RESEED=1 to seed again).`);
    }
    // What autovacuum does for a running server, done here because a bench database may sit on a
    // server with autovacuum off (this machine's is): earlier runs leave dead row versions behind
    // (last-used writes, bulk actions, their audit rows), and without a vacuum every run would
    // start on more bloated tables, staler statistics and fewer index-only scans than the last.
    const autovacuum = await sql<{ autovacuum: string }>`show autovacuum`.execute(handle.db);
    if (autovacuum.rows[0]?.autovacuum !== "on")
      log("autovacuum is off on this PostgreSQL server; vacuuming the bench tables first.");
    await sql`vacuum (analyze) api_tokens, api_token_usage, audit_events, users`.execute(handle.db);
  } finally {
    await handle.close();
  }
}
