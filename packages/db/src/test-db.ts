// Fresh, migrated databases for tests. On Postgres: migrate once into a template database, then
// clone it per test file (CREATE DATABASE … TEMPLATE is a file copy, far faster than migrating).
// On the embedded engine: migrate one in-memory instance per worker and clone() it.
import { createHash, randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { createDb, type DbHandle, openPglite } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";
import { migrationNames } from "./migrations/index.ts";

export type TestEngine = "postgres" | "pglite";

export function testEngine(): TestEngine {
  const chosen = process.env.KEYWARD_TEST_DB;
  if (chosen === "postgres" || chosen === "pglite") return chosen;
  return process.env.DATABASE_URL ? "postgres" : "pglite";
}

export interface TestDb extends DbHandle {
  /** A URL other processes can connect to (postgres only). */
  url?: string;
  drop(): Promise<void>;
}

let pgliteTemplate: Promise<PGlite> | undefined;

export async function createTestDb(): Promise<TestDb> {
  return testEngine() === "postgres" ? createPostgresTestDb() : createPgliteTestDb();
}

async function createPgliteTestDb(): Promise<TestDb> {
  pgliteTemplate ??= (async () => {
    const template = await openPglite({ inMemory: true });
    const handle = await createDb({ pglite: template });
    // Never destroyed: the dialect's destroy() would close the template PGlite it wraps.
    await migrateToLatest(handle.db);
    return template;
  })();
  const clone = (await (await pgliteTemplate).clone()) as PGlite;
  const handle = await createDb({ pglite: clone });
  return { ...handle, drop: () => handle.close() };
}

function adminUrl(database: string): string {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL must be set to run tests against PostgreSQL");
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

function baseDatabaseName(): string {
  const base = process.env.DATABASE_URL;
  return base ? new URL(base).pathname.slice(1) || "postgres" : "postgres";
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(baseDatabaseName()) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template's name changes whenever the migration list does, so a stale one is never used. */
function templateName(): string {
  const digest = createHash("sha256").update(migrationNames.join("\n")).digest("hex").slice(0, 12);
  return `keyward_tpl_${digest}`;
}

async function ensureTemplate(): Promise<string> {
  const name = templateName();
  await withAdminClient(async (client) => {
    // Workers race to build the template; the advisory lock lets exactly one do it.
    await client.query("select pg_advisory_lock(hashtext($1))", [name]);
    try {
      const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
      if (exists.rowCount) return;
      const building = `${name}_building`;
      await client.query(`drop database if exists ${building}`);
      await client.query(`create database ${building}`);
      const handle = await createDb({ databaseUrl: adminUrl(building), poolSize: 1 });
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      await client.query(`alter database ${building} rename to ${name}`);
      // Templates for older migration lists are of no further use once a newer one exists.
      const old = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like 'keyward\\_tpl\\_%' and datname <> $1 and datname not like '%\\_building'",
        [name],
      );
      for (const { datname } of old.rows) {
        await client.query(`drop database if exists "${datname}"`).catch(() => {});
      }
    } finally {
      await client.query("select pg_advisory_unlock(hashtext($1))", [name]);
    }
  });
  return name;
}

async function createPostgresTestDb(): Promise<TestDb> {
  const template = await ensureTemplate();
  const name = `keyward_t_${randomBytes(6).toString("hex")}`;
  await withAdminClient((client) => client.query(`create database ${name} template ${template}`));
  const url = adminUrl(name);
  const handle = await createDb({ databaseUrl: url, poolSize: 5 });
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await withAdminClient((client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}
