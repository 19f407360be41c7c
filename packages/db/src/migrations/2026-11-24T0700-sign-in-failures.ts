import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code, and is never edited once released.
//
// Failed sign-ins counted per key (a client address, a username, a browser's device cookie) in
// the database, so that every server process over it enforces one limit: in memory, each
// process counted on its own, and N processes gave a guesser N times the free attempts
// (docs/decisions/0016-sign-in-limits-in-the-database.md).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sign_in_failures")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failure_at", sql`timestamptz(3)`, (c) => c.notNull())
    .execute();
  // For pruning the keys whose window has passed.
  await sql`create index sign_in_failures_last_failure_at_idx on sign_in_failures (last_failure_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sign_in_failures").execute();
}
