import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect, type RawBuilder, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { lockEmbeddedDatabase } from "./embedded-lock.ts";
import type { Database } from "./types.ts";

export type DbEngine = "postgres" | "pglite";

export interface DbHandle {
  db: Kysely<Database>;
  engine: DbEngine;
  /** The raw pg pool, when the engine is postgres (used for LISTEN/NOTIFY). */
  pool?: pg.Pool;
  /** The embedded database, when the engine is pglite. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** A PostgreSQL URL. Without it the embedded engine is used. */
  databaseUrl?: string | undefined;
  /** Where the embedded database keeps its files; ignored for postgres. */
  dataDir?: string | undefined;
  /** Embedded database in memory only (tests). */
  inMemory?: boolean;
  /** An existing PGlite instance (tests clone a migrated template). */
  pglite?: PGlite;
  poolSize?: number;
  /** Longest a statement may run (postgres); 0 lifts the limit, for bulk seeding. Default 15 s. */
  statementTimeoutMs?: number;
}

export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    return createPostgres(
      options.databaseUrl,
      options.poolSize ?? 10,
      options.statementTimeoutMs ?? 15_000,
    );
  }
  return createPglite(options);
}

function createPostgres(
  connectionString: string,
  max: number,
  statementTimeoutMs: number,
): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Fail fast when the server is gone, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    // A query that runs away must not hold a connection forever.
    statement_timeout: statementTimeoutMs,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener the
  // process would crash. The next checkout gets a fresh connection.
  pool.on("error", () => {});
  // While checked out, a client has no pool listener: one that loses its server between two
  // queries (a transaction awaiting something else, a fast shutdown) would emit an unhandled
  // 'error' and crash the process. It is marked unusable, and the pool drops it on release.
  const queryDeadlineMs = statementTimeoutMs > 0 ? statementTimeoutMs + QUERY_DEADLINE_SLACK_MS : 0;
  pool.on("connect", (client) => {
    client.on("error", () => {});
    prepareMarkedStatements(client);
    if (queryDeadlineMs > 0) guardQueries(client, queryDeadlineMs);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: "postgres",
    pool,
    close: () => db.destroy(),
  };
}

const PREPARE_MARKER = /\/\* prepare:([\w-]+) \*\//;

/**
 * Marks a hot query to be prepared once per connection (postgres): `db.selectFrom(…)
 * .modifyFront(preparedAs("token-records"))`. Kysely sends every statement unnamed, so the server
 * plans it on each execution; for a small query run thousands of times a second, planning costs
 * more than running it. A name must stand for one statement text, whose parameters bind values
 * only (an `in` list of varying length is a different text each time: use `= any($1)`). On the
 * embedded engine the marker is only a comment.
 */
export function preparedAs(name: string): RawBuilder<unknown> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`Not a statement name: ${name}`);
  return sql.raw(`/* prepare:${name} */`);
}

/** Sends statements carrying the preparedAs() marker as named (prepared) statements. */
function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const marked = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === "string" && text.includes("/* prepare:")) {
      const name = PREPARE_MARKER.exec(text)?.[1];
      if (name) return query({ name, text, values }, ...args.slice(2));
    }
    return query(...args);
  };
  client.query = marked as typeof client.query;
}

/**
 * statement_timeout is enforced by the server, so it cannot help when the server itself stops
 * answering (frozen, or cut off by the network without a reset): a query would wait forever and
 * hold its connection. Past the statement timeout plus this slack the connection is presumed dead:
 * its socket is closed, the query fails as "Connection terminated" (a 503), and the pool replaces
 * the client.
 */
export const QUERY_DEADLINE_SLACK_MS = 2000;

function guardQueries(client: pg.PoolClient, deadlineMs: number): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const guarded = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      const timer = setTimeout(() => {
        const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } })
          .connection?.stream;
        socket?.destroy();
      }, deadlineMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      result.then(clear, clear);
    }
    return result;
  };
  client.query = guarded as typeof client.query;
}

/**
 * Opens an embedded database. On disk, the caller must hold the data directory's lock
 * (lockEmbeddedDatabase) for as long as the database is open: createDb does.
 */
export async function openPglite(options: { dataDir?: string | undefined; inMemory?: boolean }) {
  const extensions = { pg_trgm };
  if (options.inMemory) return PGlite.create({ extensions });
  return PGlite.create({ dataDir: pgdataDirectory(options.dataDir), extensions });
}

function pgdataDirectory(dataDir: string | undefined): string {
  return join(dataDir ?? ".keyward", "pgdata");
}

async function createPglite(options: CreateDbOptions): Promise<DbHandle> {
  let release: (() => void) | undefined;
  if (!options.pglite && !options.inMemory) {
    const dir = pgdataDirectory(options.dataDir);
    mkdirSync(dir, { recursive: true });
    release = lockEmbeddedDatabase(dirname(dir));
  }
  let pglite: PGlite;
  try {
    pglite = options.pglite ?? (await openPglite(options));
  } catch (error) {
    release?.();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: "pglite",
    pglite,
    close: async () => {
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        release?.();
      }
    },
  };
}

/** True when the database answers a trivial query within the timeout. */
export async function pingDb(db: Kysely<Database>, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ping = sql`select 1`.execute(db).then(() => true);
    return await Promise.race([ping, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
