import type { ListUsersQuery, UserList, UserSort } from "@keyward/contracts/users";
import { sql } from "@keyward/db/kysely";
import { allowedIdsOf } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { unstorableReason } from "../../lib/storable-text.ts";
import { requireAccess } from "../admin-access.ts";
import { ValidationError } from "../errors.ts";
import { selectUsers, toUserDto } from "./user-rows.ts";

// Keyset pagination: each sort orders by (key, id), and the cursor carries the last row's key as
// text written by the database itself, so timestamps keep their microseconds and a page never
// repeats or skips a row.
const sortKeys = {
  username: {
    key: sql`lower(u.username)`,
    text: sql<string>`lower(u.username)`,
    cast: (v: string) => sql`${v}`,
  },
  displayName: {
    key: sql`lower(u.display_name)`,
    text: sql<string>`lower(u.display_name)`,
    cast: (v: string) => sql`${v}`,
  },
  createdAt: {
    key: sql`u.created_at`,
    text: sql<string>`to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    cast: (v: string) => sql`(cast(${v} as timestamp) at time zone 'UTC')`,
  },
} as const;

type SortField = keyof typeof sortKeys;

function parseSort(sort: UserSort): { field: SortField; descending: boolean } {
  const descending = sort.startsWith("-");
  return { field: (descending ? sort.slice(1) : sort) as SortField, descending };
}

function encodeCursor(sort: UserSort, key: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString("base64url");
}

const CREATED_AT_KEY = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/**
 * Cursor values go into the query: text it cannot hold, or a createdAt key that is not the shape
 * to_char() wrote (the cast would refuse it), would fail there as a 500 instead of a 400 here.
 */
function isCursorText(value: unknown): value is string {
  return typeof value === "string" && value.length <= 512 && !unstorableReason(value);
}

function isCursorKey(key: unknown, sort: UserSort): key is string {
  if (!isCursorText(key)) return false;
  if (sort !== "createdAt" && sort !== "-createdAt") return true;
  if (!CREATED_AT_KEY.test(key)) return false;
  const millis = `${key.slice(0, 23)}Z`;
  const ms = Date.parse(millis);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === millis;
}

function decodeCursor(cursor: string, sort: UserSort): { key: string; id: string } {
  try {
    const [s, key, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (s === sort && isCursorKey(key, sort) && isCursorText(id)) return { key, id };
  } catch {
    // Falls through to the same answer as a well-formed cursor for another sort.
  }
  throw new ValidationError(
    "The cursor is not valid for this list. Start again from the first page.",
    [{ path: ["cursor"], message: "Not a cursor from this list and sort order" }],
    "invalid_cursor",
  );
}

/**
 * Lists users for `users.manage`, and for `tokens.all.read` callers who need to pick or filter by
 * user on the all-tokens screen. Search matches username, display name or email.
 */
export async function listUsers(ctx: ServiceContext, query: ListUsersQuery): Promise<UserList> {
  const caller = requireAccess(ctx, "user:read", "users.manage", "tokens.all.read");
  const visible = allowedIdsOf(caller, "user");
  const db = ctx.deps.db.db;
  const { field, descending } = parseSort(query.sort);
  const spec = sortKeys[field];

  let filtered = selectUsers(db);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, "\\$&")}%`;
    filtered = filtered.where((eb) =>
      eb.or([
        eb("u.username", "ilike", pattern),
        eb("u.display_name", "ilike", pattern),
        eb("u.email", "ilike", pattern),
      ]),
    );
  }
  if (query.roleId?.length) filtered = filtered.where("u.role_id", "in", query.roleId);
  if (visible !== "all") filtered = filtered.where("u.id", "in", visible);
  if (query.status) filtered = filtered.where("u.status", "=", query.status);

  let page = filtered.select(spec.text.as("sort_key"));
  if (query.cursor) {
    const after = decodeCursor(query.cursor, query.sort);
    const op = sql.raw(descending ? "<" : ">");
    page = page.where(
      sql<boolean>`(${spec.key}, u.id) ${op} (${spec.cast(after.key)}, ${after.id})`,
    );
  }
  const direction = descending ? "desc" : "asc";
  const [rows, count] = await Promise.all([
    page
      .orderBy(spec.key, direction)
      .orderBy("u.id", direction)
      .limit(query.limit + 1)
      .execute(),
    filtered
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);

  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map(toUserDto),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor(query.sort, last.sort_key, last.id) : null,
    total: Number(count.n),
  };
}
