import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code, and is never edited once released.
//
// API tokens. Owner and creator names are copied into the row so every sortable column of the
// list has its own (column, id) index and a page at 1M rows is an index range scan, never a sort
// of a join (docs/decisions/0008-token-list-pagination.md). Timestamps are kept to milliseconds
// (timestamptz(3)) so a keyset cursor written from a JavaScript Date matches the stored value
// exactly. Nullable sort columns are indexed through coalesce() so "never" has a fixed place:
// a token that never expires sorts after every date, one never used before every date.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    // The owner cannot change; deleting a user takes their tokens with them.
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("user_name", "text", (c) => c.notNull())
    // The creator is kept by id and by name, so the name survives the creator's removal.
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_by_name", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().check(sql`char_length(name) between 1 and 64`))
    .addColumn("description", "text", (c) =>
      c.notNull().defaultTo("").check(sql`char_length(description) <= 1000`),
    )
    // HMAC-SHA256 of the whole secret, keyed with the server secret. Never the secret itself.
    .addColumn("secret_hash", "bytea", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("enabled").check(sql`status in ('enabled', 'disabled')`),
    )
    .addColumn("scopes", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{all}'::text[]`))
    .addColumn("allow", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("expires_at", sql`timestamptz(3)`)
    .addColumn("created_at", sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("secret_regenerated_at", sql`timestamptz(3)`)
    .addColumn("last_used_at", sql`timestamptz(3)`)
    .addColumn("last_used_ip", "text")
    .addColumn("last_used_user_agent", "text")
    // Room on each page for heap-only (HOT) updates: enabling and disabling change no indexed
    // column, so they rewrite the row in place without touching any index.
    .modifyEnd(sql`with (fillfactor = 85)`)
    .execute();

  // Name unique per owner, ignoring case; also serves "tokens of these users".
  await sql`create unique index api_tokens_user_name_key on api_tokens (user_id, lower(name))`.execute(
    db,
  );
  await sql`create index api_tokens_created_by_idx on api_tokens (created_by, id)`.execute(db);
  // Case-insensitive substring search on the name (ILIKE '%…%').
  await sql`create index api_tokens_name_trgm_idx on api_tokens using gin (name gin_trgm_ops)`.execute(
    db,
  );
  // One (sort key, id) index per sortable column: keyset pages in either direction.
  await sql`create index api_tokens_sort_name_idx on api_tokens (name, id)`.execute(db);
  await sql`create index api_tokens_sort_user_name_idx on api_tokens (user_name, id)`.execute(db);
  await sql`create index api_tokens_sort_created_at_idx on api_tokens (created_at, id)`.execute(db);
  await sql`create index api_tokens_sort_created_by_name_idx on api_tokens (created_by_name, id)`.execute(
    db,
  );
  // Deliberately no index on status: it would make every enable/disable update all ten indexes
  // (a 10,000-token bulk disable went from ~250 ms to ~800 ms). The status sort walks the primary
  // key once per status value instead (list-tokens.ts).
  await sql`create index api_tokens_sort_expires_at_idx on api_tokens ((coalesce(expires_at, 'infinity'::timestamptz)), id)`.execute(
    db,
  );
  await sql`create index api_tokens_sort_last_used_at_idx on api_tokens ((coalesce(last_used_at, '-infinity'::timestamptz)), id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("api_tokens").execute();
}
