// Seeds the benchmark database: 100,000 users and 1,000,000 tokens, set-based in SQL, plus
// KNOWN_TOKENS tokens whose secrets are generated here (real format, real keyed hashes) so the
// benchmark can authenticate with them. Secrets live in the bench-only table bench_secrets.
import { builtInRoles } from "@keyward/contracts/permissions";
import type { DB } from "@keyward/db/kysely";
import { sql } from "@keyward/db/kysely";
import { hashPassword } from "../src/auth/password.ts";
import { newId } from "../src/lib/ids.ts";
import { generateTokenSecret, hashTokenSecret } from "../src/lib/token-secret.ts";

export const USERS = 100_000;
export const TOKENS = 1_000_000;
export const KNOWN_TOKENS = 100_000;
/** The vocabulary seeded token names are made of (`<word>-<n>`), so searches find realistic hits. */
export const TOKEN_NAME_WORDS = [
  "deploy",
  "ci",
  "backup",
  "monitoring",
  "grafana",
  "terraform",
  "billing",
  "export",
  "sync",
  "reporting",
];
export const OWNER = { username: "bench-owner", password: "bench-owner-password-2026" };

export async function isSeeded(db: DB): Promise<boolean> {
  const exists = await sql<{
    t: string | null;
  }>`select to_regclass('bench_secrets')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return false;
  const n = await sql<{ n: string }>`select count(*) as n from api_tokens`.execute(db);
  return Number(n.rows[0]?.n) >= TOKENS;
}

export async function seed(db: DB, pepper: Buffer, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const passwordHash = await hashPassword(OWNER.password);
  await db
    .insertInto("users")
    .values({
      id: newId("usr"),
      username: OWNER.username,
      display_name: "Bench Owner",
      email: null,
      password_hash: passwordHash,
      role_id: builtInRoles.owner.id,
      status: "active",
    })
    .onConflict((oc) => oc.doNothing())
    .execute();

  // Users: mostly members, some admins; 2% disabled.
  await sql`
    insert into users (id, username, display_name, email, password_hash, role_id, status, created_at)
    select 'usr_b' || lpad(g::text, 15, '0'), 'user' || g, 'User ' || g, 'user' || g || '@bench.test',
           ${passwordHash},
           case when g % 50 = 0 then ${builtInRoles.admin.id} else ${builtInRoles.member.id} end,
           case when g % 50 = 7 then 'disabled' else 'active' end,
           now() - (g || ' minutes')::interval
    from generate_series(1, ${USERS}) as g
    on conflict do nothing`.execute(db);
  log(`users seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Tokens: 10 per user on average; names from a small vocabulary so name search is realistic;
  // a spread of expiry (never / past / next year), status, creators and last use.
  await sql`
    insert into api_tokens (id, user_id, user_name, created_by, created_by_name, name, description,
                            secret_hash, status, scopes, allow, expires_at, created_at, updated_at)
    select 'tok_' || substr(md5('bench' || g), 1, 16), -- random order, like real ids
           'usr_b' || lpad(u::text, 15, '0'),
           'user' || u,
           case when g % 5 = 0 then 'usr_b' || lpad((u - u % 50 + 50)::text, 15, '0') else 'usr_b' || lpad(u::text, 15, '0') end,
           case when g % 5 = 0 then 'user' || (u - u % 50 + 50) else 'user' || u end,
           (${sql.val(TOKEN_NAME_WORDS)}::text[])[1 + g % 10] || '-' || g,
           '',
           sha256(('bench' || g)::bytea),
           case when g % 10 = 3 then 'disabled' else 'enabled' end,
           '{all}',
           '{}',
           case when g % 3 = 0 then null
                when g % 7 = 0 then now() - ((g % 365) || ' days')::interval
                else now() + ((g % 400) || ' hours')::interval * 24 end,
           now() - ((g % 100000) || ' minutes')::interval,
           now() - ((g % 100000) || ' minutes')::interval
    from (select g, 1 + ((g::bigint * 7919) % ${USERS})::int as u from generate_series(1, ${TOKENS - KNOWN_TOKENS}) as g) as s
    on conflict do nothing`.execute(db);
  // Three tokens in five were used lately (their usage rows come from the insert's trigger).
  await sql`
    update api_token_usage as usage
    set last_used_at = now() - ((g % 5000) || ' minutes')::interval,
        last_used_ip = '10.0.' || (g % 250) || '.' || (g % 200)
    from generate_series(1, ${TOKENS - KNOWN_TOKENS}) as g
    where g % 5 < 3 and usage.token_id = 'tok_' || substr(md5('bench' || g), 1, 16)`.execute(db);
  log(`bulk tokens seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await sql`create table if not exists bench_secrets (id text primary key, secret text not null)`.execute(
    db,
  );
  const batch = 5000;
  for (let start = 0; start < KNOWN_TOKENS; start += batch) {
    const rows = [];
    const secrets = [];
    for (let i = start; i < start + batch; i++) {
      const id = newId("tok");
      const secret = generateTokenSecret(id);
      const owner = 1 + (i % (USERS - 1));
      // Known tokens belong to active members (skip the disabled pattern g % 50 = 7).
      const user = owner % 50 === 7 ? owner + 1 : owner;
      rows.push({
        id,
        user_id: `usr_b${String(user).padStart(15, "0")}`,
        user_name: `user${user}`,
        created_by: `usr_b${String(user).padStart(15, "0")}`,
        created_by_name: `user${user}`,
        name: `known-${i}`,
        description: "",
        secret_hash: hashTokenSecret(pepper, secret),
        status: "enabled",
        scopes: sql`'{all}'::text[]`,
        allow: sql`'{}'::text[]`,
        expires_at: null,
        // Spread over the same months as the rest, so filters do not meet a block of 100,000
        // identical newest rows first.
        created_at: new Date(Date.now() - ((i * 7919) % 100_000) * 60_000),
      });
      secrets.push({ id, secret });
    }
    // biome-ignore lint/suspicious/noExplicitAny: bench-only table and rows outside the app's types.
    await (db as any).insertInto("api_tokens").values(rows).execute();
    // biome-ignore lint/suspicious/noExplicitAny: bench-only table.
    await (db as any).insertInto("bench_secrets").values(secrets).execute();
  }
  await sql`analyze`.execute(db);
  log(`known tokens seeded and analyzed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
