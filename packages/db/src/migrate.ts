import { type Kysely, Migrator, sql } from "kysely";
import { migrationProvider } from "./migrations/index.ts";

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Brings the schema up to date. Safe to call from several processes at once: Kysely takes an
 * advisory lock on Postgres, and the embedded engine has a single connection.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  // pg_trgm backs the case-insensitive substring search on names; it is a trusted extension,
  // so a database owner may create it.
  await sql`create extension if not exists pg_trgm`.execute(db);
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`Migration ${failed ?? "(unknown)"} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return {
    applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}
