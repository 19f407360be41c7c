import { createHash, randomBytes } from "node:crypto";
import type { Permission } from "@keyward/contracts/permissions";
import { expandPermissions, permissions as knownPermissions } from "@keyward/contracts/permissions";
import type { DB } from "@keyward/db/kysely";
import type { SessionKind } from "@keyward/db/types";
import { newId } from "../lib/ids.ts";
import { serverMac, serverMacMatches, signedText, unsignedText } from "../lib/server-mac.ts";
import type { Principal } from "./principal.ts";

// A session secret is 32 random bytes; only its SHA-256 is stored. A slow or keyed hash adds
// nothing for 256-bit random values, and a plain digest keeps the lookup a single index probe.
export function hashSessionSecret(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export interface NewSession {
  id: string;
  secret: string;
  expiresAt: Date;
}

export async function createSession(
  db: DB,
  input: {
    userId: string;
    kind: SessionKind;
    ip: string;
    userAgent: string | null;
    durationMs: number;
  },
): Promise<NewSession> {
  const secret = randomBytes(32).toString("base64url");
  const id = newId("ses");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + input.durationMs);
  await db
    .insertInto("sessions")
    .values({
      id,
      user_id: input.userId,
      secret_hash: hashSessionSecret(secret),
      kind: input.kind,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 512) ?? null,
    })
    .execute();
  return { id, secret, expiresAt };
}

export type SessionLookup =
  | { status: "valid"; principal: Principal; lastSeenAt: Date }
  | { status: "expired" | "unknown" };

/** Finds the session a cookie (or CLI session token) belongs to, with its user and role. */
export async function lookupSession(db: DB, secret: string): Promise<SessionLookup> {
  // A cookie value that cannot be ours is refused without a query.
  if (secret.length < 16 || secret.length > 128) return { status: "unknown" };
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select([
      "s.id as sessionId",
      "s.kind",
      "s.expires_at",
      "s.last_seen_at",
      "u.id as userId",
      "u.username",
      "u.display_name",
      "u.email",
      "u.status",
      "r.id as roleId",
      "r.name as roleName",
      "r.permissions",
    ])
    .where("s.secret_hash", "=", hashSessionSecret(secret))
    .executeTakeFirst();
  if (!row) return { status: "unknown" };
  if (row.status !== "active") return { status: "unknown" };
  if (row.expires_at.getTime() <= Date.now()) {
    await db.deleteFrom("sessions").where("id", "=", row.sessionId).execute();
    return { status: "expired" };
  }
  return {
    status: "valid",
    lastSeenAt: row.last_seen_at,
    principal: {
      user: {
        id: row.userId,
        username: row.username,
        displayName: row.display_name,
        email: row.email,
      },
      role: { id: row.roleId, name: row.roleName, permissions: toPermissions(row.permissions) },
      authMethod: "session",
      session: { id: row.sessionId, expiresAt: row.expires_at, kind: row.kind },
    },
  };
}

/** Role permissions as stored, filtered to the ones this version knows, with implications. */
export function toPermissions(stored: readonly string[]): Permission[] {
  return expandPermissions(
    stored.filter((p): p is Permission => (knownPermissions as readonly string[]).includes(p)),
  );
}

/** Slides the expiry forward. Returns the new expiry. */
export async function touchSession(
  db: DB,
  sessionId: string,
  durationMs: number,
  refresh: boolean,
): Promise<Date | null> {
  const now = new Date();
  const update = refresh
    ? { last_seen_at: now, expires_at: new Date(now.getTime() + durationMs) }
    : { last_seen_at: now };
  const row = await db
    .updateTable("sessions")
    .set(update)
    .where("id", "=", sessionId)
    .returning("expires_at")
    .executeTakeFirst();
  return row?.expires_at ?? null;
}

export async function deleteSession(db: DB, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

// The CSRF token is derived from the session id with the server key: nothing to store, and it
// changes with every session. The web app reads it from a non-HttpOnly cookie and echoes it.
export function csrfTokenFor(serverSecret: Buffer, sessionId: string): string {
  return serverMac(serverSecret, "csrf", sessionId);
}

export function csrfTokenMatches(
  serverSecret: Buffer,
  sessionId: string,
  presented: string | undefined,
): boolean {
  return serverMacMatches(serverSecret, "csrf", sessionId, presented);
}

// The session cookie carries the secret and the server's MAC of it, so a cookie the server never
// set is refused without a query: otherwise every made-up cookie cost an index probe, and nothing
// limited how many a client could send. The database still stores only the secret's hash.
export function sessionCookieValue(serverSecret: Buffer, secret: string): string {
  return signedText(serverSecret, "session", secret);
}

/** The session secret in a cookie this server set, or undefined for any other text. */
export function sessionSecretFromCookie(serverSecret: Buffer, cookie: string): string | undefined {
  return unsignedText(serverSecret, "session", cookie);
}
