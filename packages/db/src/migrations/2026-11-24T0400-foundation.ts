import { type Kysely, sql } from "kysely";

// Frozen in time: this file never imports application code, and is never edited once released.
// The built-in roles are seeded here so a fresh database is usable before the app first runs.

const builtInRoles = [
  {
    id: "rol_owner",
    name: "Owner",
    description: "Everything. There is always at least one active owner.",
    permissions: [
      "tokens.own.manage",
      "tokens.all.read",
      "tokens.all.manage",
      "users.manage",
      "roles.manage",
      "audit.read",
      "settings.manage",
    ],
  },
  {
    id: "rol_admin",
    name: "Admin",
    description: "Manages users and every user's API tokens.",
    permissions: [
      "tokens.all.manage",
      "tokens.all.read",
      "tokens.own.manage",
      "users.manage",
      "audit.read",
    ],
  },
  {
    id: "rol_auditor",
    name: "Auditor",
    description: "Reads every token and the audit log; changes nothing.",
    permissions: ["tokens.all.read", "audit.read"],
  },
  {
    id: "rol_member",
    name: "Member",
    description: "Manages their own API tokens.",
    permissions: ["tokens.own.manage"],
  },
  {
    id: "rol_guest",
    name: "Guest",
    description: "Signs in; no token self-service.",
    permissions: [],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("roles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("permissions", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("builtin", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index roles_name_lower_key on roles (lower(name))`.execute(db);

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role_id", "text", (c) => c.notNull().references("roles.id"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("active").check(sql`status in ('active', 'disabled')`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_login_at", "timestamptz")
    .execute();
  await sql`create unique index users_username_lower_key on users (lower(username))`.execute(db);
  await db.schema.createIndex("users_role_id_idx").on("users").column("role_id").execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // Only a SHA-256 of the cookie value is stored: a database dump cannot be replayed as a login.
    .addColumn("secret_hash", "bytea", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) =>
      c.notNull().defaultTo("browser").check(sql`kind in ('browser', 'cli')`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();
  await db.schema
    .createIndex("sessions_expires_at_idx")
    .on("sessions")
    .column("expires_at")
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // No foreign keys: the log outlives what it describes.
    .addColumn("actor_id", "text")
    .addColumn("actor_name", "text")
    .addColumn("actor_token_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("target_name", "text")
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("request_id", "text")
    .execute();
  await sql`create index audit_events_occurred_idx on audit_events (occurred_at desc, id desc)`.execute(
    db,
  );
  await sql`create index audit_events_actor_idx on audit_events (actor_id, occurred_at desc)`.execute(
    db,
  );
  await sql`create index audit_events_action_idx on audit_events (action, occurred_at desc)`.execute(
    db,
  );
  await sql`create index audit_events_target_idx on audit_events (target_type, target_id)`.execute(
    db,
  );

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "text")
    .execute();

  await db
    .insertInto("roles")
    .values(
      builtInRoles.map((r) => ({
        ...r,
        builtin: true,
        permissions: sql`${r.permissions}::text[]`,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("settings").execute();
  await db.schema.dropTable("audit_events").execute();
  await db.schema.dropTable("sessions").execute();
  await db.schema.dropTable("users").execute();
  await db.schema.dropTable("roles").execute();
}
