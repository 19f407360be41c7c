import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code, and is never edited once released.
//
// When and from where each token was last used moves to a narrow table of its own. In the token
// table, last_used_at was indexed (the list sorts by it), so every write of it was a non-HOT
// update that added an entry to all ten of the table's indexes, on pages mostly untouched since
// the last checkpoint: writing the last use of 5,000 tokens wrote 156 MB of WAL (23,000 full-page
// images) and took seconds. Here a write touches a short row and two indexes
// (docs/decisions/0013-token-usage-table.md). Every token has exactly one usage row, made by a
// trigger, so the list can walk this table's sort index for "last used" and join the rest by key.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_token_usage")
    .addColumn("token_id", "text", (c) =>
      c.primaryKey().references("api_tokens.id").onDelete("cascade"),
    )
    .addColumn("last_used_at", sql`timestamptz(3)`)
    .addColumn("last_used_ip", "text")
    .addColumn("last_used_user_agent", "text")
    .execute();
  await sql`
    insert into api_token_usage (token_id, last_used_at, last_used_ip, last_used_user_agent)
    select id, last_used_at, last_used_ip, last_used_user_agent from api_tokens`.execute(db);
  await sql`create index api_token_usage_sort_last_used_at_idx on api_token_usage ((coalesce(last_used_at, '-infinity'::timestamptz)), token_id)`.execute(
    db,
  );
  // One statement-level trigger: a bulk insert of tokens makes their usage rows in one insert.
  await sql`
    create function api_tokens_add_usage() returns trigger language plpgsql as $$
    begin
      insert into api_token_usage (token_id) select id from created_tokens;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger api_tokens_add_usage after insert on api_tokens
    referencing new table as created_tokens
    for each statement execute function api_tokens_add_usage()`.execute(db);
  await sql`drop index api_tokens_sort_last_used_at_idx`.execute(db);
  await db.schema
    .alterTable("api_tokens")
    .dropColumn("last_used_at")
    .dropColumn("last_used_ip")
    .dropColumn("last_used_user_agent")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("api_tokens")
    .addColumn("last_used_at", sql`timestamptz(3)`)
    .addColumn("last_used_ip", "text")
    .addColumn("last_used_user_agent", "text")
    .execute();
  await sql`
    update api_tokens as t
    set last_used_at = u.last_used_at, last_used_ip = u.last_used_ip,
        last_used_user_agent = u.last_used_user_agent
    from api_token_usage as u where u.token_id = t.id`.execute(db);
  await sql`create index api_tokens_sort_last_used_at_idx on api_tokens ((coalesce(last_used_at, '-infinity'::timestamptz)), id)`.execute(
    db,
  );
  await sql`drop trigger api_tokens_add_usage on api_tokens`.execute(db);
  await sql`drop function api_tokens_add_usage()`.execute(db);
  await db.schema.dropTable("api_token_usage").execute();
}
