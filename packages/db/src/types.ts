import type { ColumnType, Generated, Insertable, Kysely, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface RolesTable {
  id: string;
  name: string;
  description: Generated<string>;
  permissions: ColumnType<string[], string[] | undefined, string[]>;
  builtin: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type UserStatus = "active" | "disabled";

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  role_id: string;
  status: ColumnType<UserStatus, UserStatus | undefined, UserStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  last_login_at: Date | null;
}

export type SessionKind = "browser" | "cli";

export interface SessionsTable {
  id: string;
  user_id: string;
  secret_hash: Buffer;
  kind: ColumnType<SessionKind, SessionKind | undefined, SessionKind>;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditEventsTable {
  // int8 arrives as a string from both drivers; callers convert where they need a number.
  id: ColumnType<string, never, never>;
  occurred_at: CreatedAt;
  actor_id: string | null;
  actor_name: string | null;
  actor_token_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export type ApiTokenStatus = "enabled" | "disabled";

export interface ApiTokensTable {
  id: string;
  user_id: string;
  /** Owner's username, copied so the list can sort on it through an index. */
  user_name: string;
  created_by: string | null;
  created_by_name: string;
  name: string;
  description: Generated<string>;
  secret_hash: Buffer;
  status: ColumnType<ApiTokenStatus, ApiTokenStatus | undefined, ApiTokenStatus>;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  allow: ColumnType<string[], string[] | undefined, string[]>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  secret_regenerated_at: ColumnType<
    Date | null,
    Date | string | null | undefined,
    Date | string | null
  >;
}

/** When and from where a token was last used: one row per token, made by a trigger. */
export interface ApiTokenUsageTable {
  token_id: string;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_used_ip: string | null;
  last_used_user_agent: string | null;
}

export interface SignInFailuresTable {
  key: string;
  failures: number;
  last_failure_at: ColumnType<Date, Date | string, Date | string>;
}

export interface Database {
  api_tokens: ApiTokensTable;
  api_token_usage: ApiTokenUsageTable;
  roles: RolesTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  sign_in_failures: SignInFailuresTable;
}

export type DB = Kysely<Database>;
export type Role = Selectable<RolesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type ApiTokenUsage = Selectable<ApiTokenUsageTable>;
