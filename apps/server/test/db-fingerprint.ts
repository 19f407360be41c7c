// The database as text, to prove that a refused request changed nothing: compare a fingerprint
// taken before the request with one taken after. Columns that successful authentication itself
// may touch (a session's sliding expiry, a token's last use, written in the background) are left
// out; everything a request could change is in. Audit rows are reported by their highest id, so
// a caller can tell which were added (failed sign-ins are audited on purpose). Failed sign-ins
// also count in sign_in_failures on purpose, which is left out.
import { sql } from "@keyward/db/kysely";
import type { TestApp } from "./harness.ts";

export interface Fingerprint {
  rows: string;
  auditMaxId: string;
}

export async function fingerprint(t: TestApp): Promise<Fingerprint> {
  const db = t.db.db;
  const [users, roles, tokens, sessions, settings, audit] = await Promise.all([
    db.selectFrom("users").selectAll().orderBy("id").execute(),
    db.selectFrom("roles").selectAll().orderBy("id").execute(),
    db
      .selectFrom("api_tokens")
      .select([
        "id",
        "user_id",
        "user_name",
        "created_by",
        "created_by_name",
        "name",
        "description",
        "secret_hash",
        "status",
        "expires_at",
        "scopes",
        "allow",
        "created_at",
        "updated_at",
      ])
      .orderBy("id")
      .execute(),
    db
      .selectFrom("sessions")
      .select(["id", "user_id", "secret_hash", "kind"])
      .orderBy("id")
      .execute(),
    db.selectFrom("settings").selectAll().orderBy("key").execute(),
    sql<{ max: string | null }>`select max(id)::text as max from audit_events`.execute(db),
  ]);
  return {
    rows: JSON.stringify({ users, roles, tokens, sessions, settings }),
    auditMaxId: audit.rows[0]?.max ?? "0",
  };
}

/** Audit actions recorded after a fingerprint was taken. */
export async function auditActionsSince(t: TestApp, before: Fingerprint): Promise<string[]> {
  const rows = await t.db.db
    .selectFrom("audit_events")
    .select("action")
    .where("id", ">", before.auditMaxId)
    .orderBy("id")
    .execute();
  return rows.map((r) => r.action);
}
