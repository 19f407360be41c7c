import type {
  ListTokensQuery,
  TokenList,
  TokenSort,
  TokenSortField,
  TokenStatus,
} from "@keyward/contracts/tokens";
import { type DB, type Expression, type RawBuilder, sql } from "@keyward/db/kysely";
import {
  allowedIdsOf,
  canReadAllTokens,
  requireCaller,
  requireTokenAccess,
} from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { countCapped, decodeCursor, encodeCursor, estimateRows } from "../pagination.ts";
import { type TokenRow, tokenColumns, toTokenDto, usageColumns } from "./token-dto.ts";

// Every sort is a keyset over (sort key, id) backed by one index per column (see the migration
// and docs/decisions/0008). Nullable columns sort through coalesce(): "never expires" after every
// date, "never used" before every date, in both directions, so the keyset has no null holes.
interface SortKey {
  expr: RawBuilder<unknown>;
  /** The id column that breaks ties: the sort index's own (`u.token_id` for the usage table). */
  id?: RawBuilder<unknown>;
  /** The key over a page's selected columns (subqueries alias them `t`), when expr cannot be. */
  outer?: RawBuilder<unknown>;
  kind: "text" | "time";
  of(row: TokenRow): string;
}

const expiresKey = sql`coalesce(t.expires_at, 'infinity'::timestamptz)`;

const sortKeys: Record<TokenSortField, SortKey> = {
  name: { expr: sql`t.name`, kind: "text", of: (r) => r.name },
  userName: { expr: sql`t.user_name`, kind: "text", of: (r) => r.user_name },
  createdByName: { expr: sql`t.created_by_name`, kind: "text", of: (r) => r.created_by_name },
  status: { expr: sql`t.status`, kind: "text", of: (r) => r.status },
  createdAt: { expr: sql`t.created_at`, kind: "time", of: (r) => r.created_at.toISOString() },
  expiresAt: {
    expr: expiresKey,
    kind: "time",
    of: (r) => r.expires_at?.toISOString() ?? "infinity",
  },
  // Last use lives in api_token_usage (decision 0013), which has this sort's index.
  lastUsedAt: {
    expr: sql`coalesce(u.last_used_at, '-infinity'::timestamptz)`,
    id: sql`u.token_id`,
    outer: sql`coalesce(t.last_used_at, '-infinity'::timestamptz)`,
    kind: "time",
    of: (r) => r.last_used_at?.toISOString() ?? "-infinity",
  },
};

interface TokenCursor {
  /** The sort the cursor was made for; another sort cannot continue from it. */
  s: TokenSort;
  /** The last row's sort key. */
  v: string;
  /** The last row's id. */
  i: string;
}

function cursorValidator(sort: TokenSort, kind: SortKey["kind"]) {
  return (value: unknown): value is TokenCursor => {
    const c = value as Partial<TokenCursor> | null;
    if (!c || typeof c !== "object" || c.s !== sort) return false;
    if (typeof c.v !== "string" || typeof c.i !== "string" || c.i.length > 64) return false;
    if (kind === "time") {
      // Exactly what toISOString() wrote for a stored time: Date.parse alone accepts text ("1",
      // year 0000) that the ::timestamptz cast then refuses with a 500.
      return c.v === "infinity" || c.v === "-infinity" || isStoredTime(c.v);
    }
    return c.v.length <= 256;
  };
}

function isStoredTime(text: string): boolean {
  if (!/^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text)) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

const DAY_MS = 86_400_000;

const selectTokens = (db: DB) => db.selectFrom("api_tokens as t");
type TokenBase = ReturnType<typeof selectTokens>;

/** A page's columns: the token's, and its usage row's (every token has one). */
const withUsage = (filtered: TokenBase) =>
  filtered
    .innerJoin("api_token_usage as u", "u.token_id", "t.id")
    .select([...tokenColumns, ...usageColumns]);

/**
 * A page of tokens: everyone's for callers with `tokens.all.read`, otherwise the caller's own,
 * narrowed further by a token caller's allow list.
 */
export async function listTokens(ctx: ServiceContext, query: ListTokensQuery): Promise<TokenList> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:read");
  const allowed = allowedIdsOf(principal, "token");
  const sort: TokenSort = query.sort ?? "-createdAt";
  const descending = sort.startsWith("-");
  const key = sortKeys[(descending ? sort.slice(1) : sort) as TokenSortField];
  const limit = query.limit ?? 50;
  const now = new Date();
  const { db } = ctx.deps.db;

  let base = selectTokens(db);
  if (!canReadAllTokens(principal)) base = base.where("t.user_id", "=", principal.user.id);
  if (allowed !== "all")
    base = base.where("t.id", "=", (eb) => eb.fn.any(sql<string[]>`${allowed}::text[]`));
  if (query.userId) {
    const ids = query.userId;
    base = base.where("t.user_id", "=", (eb) => eb.fn.any(sql<string[]>`${ids}::text[]`));
  }
  if (query.createdBy) base = base.where("t.created_by", "=", query.createdBy);

  // Name, expiry, last-use and status filters come last, as conditions on a page's columns (alias t): a
  // page with them may be read in two steps (pageByFilter). None has an index that serves every
  // sort, and each may be bunched in a sort's order (disabled tokens are never used lately: with
  // status in the planner's hands, disabled tokens by last use took 2.4 s at 1M). Expiry goes
  // through the same coalesce() expression as the expiry index.
  const narrowing: RawBuilder<boolean>[] = [];
  if (query.expiry === "expired") {
    narrowing.push(sql`${expiresKey} <= ${now}`);
  } else if (query.expiry === "never") {
    narrowing.push(sql`${expiresKey} = 'infinity'::timestamptz`);
  } else if (query.expiry?.startsWith("within:")) {
    const until = new Date(now.getTime() + Number(query.expiry.slice("within:".length)) * DAY_MS);
    narrowing.push(sql`${expiresKey} > ${now} and ${expiresKey} <= ${until}`);
  }
  if (query.expiresBefore) narrowing.push(sql`${expiresKey} < ${new Date(query.expiresBefore)}`);
  if (query.expiresAfter) {
    const after = new Date(query.expiresAfter);
    narrowing.push(sql`${expiresKey} > ${after} and ${expiresKey} < 'infinity'::timestamptz`);
  }
  if (query.name) narrowing.push(sql`t.name ilike ${`%${escapeLike(query.name)}%`}`);
  const lastUse = query.lastUsed ? lastUseWindow(query.lastUsed, now) : undefined;
  if (lastUse) narrowing.push(lastUse.condition);
  // The status sort reads one status at a time: there, a status filter only skips the other.
  const narrowedButStatus = allOf(narrowing);
  if (query.status) narrowing.push(sql`t.status = ${query.status}`);
  const beforeNarrowing = base;
  const narrowed = allOf(narrowing);
  if (narrowed) base = base.where(narrowed);

  if (key === sortKeys.status) {
    const [rows, count] = await Promise.all([
      pageByStatus(db, { base, beforeNarrowing, narrowed: narrowedButStatus }, query, sort, limit),
      countCapped(db, base.select(sql<number>`1`.as("one"))),
    ]);
    return toPage(rows, limit, sort, key, now, count);
  }

  // The rows a page may start from. Sorted by last use, a last-use filter is a range of the sort
  // index itself, read from its start like the cursor (the usage table is joined as u there).
  const startAt: RawBuilder<boolean>[] = [];
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, cursorValidator(sort, key.kind));
    const value = key.kind === "time" ? sql`${cursor.v}::timestamptz` : sql`${cursor.v}::text`;
    startAt.push(
      sql<boolean>`(${key.expr}, ${key.id ?? sql`t.id`}) ${sql.raw(descending ? "<" : ">")} (${value}, ${cursor.i})`,
    );
  }
  if (lastUse && key === sortKeys.lastUsedAt) startAt.push(lastUse.range(key.expr));
  // Idle tokens are older than the window, so sorted by creation (the default sort, newest
  // first) they are a range of that index too: a walk from the top would first pass every token
  // created within the window, none of which can match (idle:30 at 1M: 840 ms).
  if (lastUse?.createdRange && key === sortKeys.createdAt) startAt.push(lastUse.createdRange);
  const afterCursor = allOf(startAt);
  const direction = sql.raw(descending ? "desc" : "asc");
  const order = sql`${key.expr} ${direction}, ${key.id ?? sql`t.id`} ${direction}`;
  const outerOrder = sql`${key.outer ?? key.expr} ${direction}, t.id ${direction}`;
  // The rows a page is taken from: filtered, and after the cursor. (Kysely writes the join before
  // the where clause whatever the call order, so the cursor may name u.* here.)
  const rowsOf = (filtered: TokenBase) =>
    withUsage(afterCursor ? filtered.where(afterCursor) : filtered);
  // The same without the usage columns, unless the sort needs them: a page joins its usage only
  // once it is cut (joinUsage), however many rows its filters left to sort or search.
  const tokenRowsOf = (filtered: TokenBase) =>
    key.id
      ? rowsOf(filtered)
      : (afterCursor ? filtered.where(afterCursor) : filtered).select(tokenColumns);
  // Only the sort key and id of the same rows, for a sort on the token's own columns: what a
  // search that collects its matches sorts.
  const sortKeysOf = (filtered: TokenBase) =>
    (afterCursor ? filtered.where(afterCursor) : filtered).select([
      sql`${key.expr}`.as("k"),
      "t.id",
    ]);

  // Sorted by last use, a walk reads the usage table's sort index alone and tests each row
  // against the set of matching token ids (a hashed subplan: `is true` keeps PostgreSQL from
  // turning it into a join, which would look each walked row's token up: ~2 µs a row against
  // 0.13–0.3 µs), reading at most `rows` rows of the order.
  const walkUsageOrder = key.id
    ? (rows: number) =>
        sql<TokenRow>`
          with page as (
            select walked.token_id from (
              select u.token_id, ${key.expr} as k from api_token_usage as u
              ${afterCursor ? sql`where ${afterCursor}` : sql``}
              order by ${order} limit ${rows}) as walked
            where (walked.token_id in (${base.select("t.id")})) is true
            -- The walk's own order, named by its output columns, so no sort of the walk is added.
            order by walked.k ${direction}, walked.token_id ${direction} limit ${limit + 1})
          select * from (
            select ${sql.join(tokenColumns.map((column) => sql.ref(`t.${column}`)))},
              ${sql.join(usageColumns.map((column) => sql.ref(`u.${column}`)))}
            from page
            join api_tokens as t on t.id = page.token_id
            join api_token_usage as u on u.token_id = page.token_id) as t
          order by ${outerOrder}`
    : undefined;

  // Expiry filters sorted by expiry are a range of the sort's own index: PostgreSQL reads just
  // that range, in order (0.1 ms for the first expiring tokens at 1M, against 10–14 ms through
  // pageByFilter's probe, which starts at the expired ones).
  const rangeOfSortIndex = key === sortKeys.expiresAt && !query.name;
  const counted = countCapped(db, base.select(sql<number>`1`.as("one")));
  const [rows, count] = await Promise.all([
    narrowed && !rangeOfSortIndex
      ? pageByFilter(db, {
          walkUsageOrder,
          unfiltered: tokenRowsOf(beforeNarrowing),
          filtered: tokenRowsOf(base),
          filteredKeys: sortKeysOf(base),
          direction,
          joinUsage: !key.id,
          filter: narrowed,
          filterLooksUpUsage: lastUse !== undefined,
          order,
          outerOrder,
          limit,
          matches: counted,
        })
      : key.id
        ? rowsOf(base)
            .orderBy(order)
            .limit(limit + 1)
            .execute()
        : joinUsage(sql`${tokenRowsOf(base)} order by ${order} limit ${limit + 1}`, outerOrder)
            .execute(db)
            .then((result) => result.rows),
    counted,
  ]);
  return toPage(rows, limit, sort, key, now, count);
}

/**
 * A last-use filter as a condition on a token (alias t), through its usage row: an `exists` the
 * planner may read either way, token by token or from the usage sort index's range. `range` is
 * the same window as a condition on that index's expression; `createdRange`, for idle tokens,
 * the part of the condition that is a range of the creation index.
 */
function lastUseWindow(filter: string, now: Date) {
  const [kind, daysText] = filter.split(":");
  const since = new Date(now.getTime() - Number(daysText ?? 0) * DAY_MS);
  const range = (lastUsed: RawBuilder<unknown>): RawBuilder<boolean> =>
    kind === "never"
      ? sql`${lastUsed} = '-infinity'::timestamptz`
      : kind === "within"
        ? sql`${lastUsed} > ${since}`
        : sql`${lastUsed} <= ${since}`;
  const usage = sql<boolean>`exists (select 1 from api_token_usage as lu
    where lu.token_id = t.id and ${range(sql`coalesce(lu.last_used_at, '-infinity'::timestamptz)`)})`;
  // Idle: no use since, and old enough that "since" means something.
  const createdRange = kind === "idle" ? sql<boolean>`t.created_at <= ${since}` : undefined;
  const condition = createdRange ? sql<boolean>`${createdRange} and ${usage}` : usage;
  return { condition, range, createdRange };
}

/** Conditions joined with `and`; undefined for none. */
function allOf(conditions: readonly RawBuilder<boolean>[]): RawBuilder<boolean> | undefined {
  return conditions.length
    ? sql<boolean>`${sql.join(
        conditions.map((condition) => sql`(${condition})`),
        sql` and `,
      )}`
    : undefined;
}

/**
 * A page of token rows (already cut to the page) with their usage columns. Joining usage only
 * after the cut matters when a filter leaves many rows to sort: an expiry range matching 2,600
 * tokens looked up usage for each of them before keeping 51 (22 of its 30 ms at 1M tokens).
 */
function joinUsage(rows: RawBuilder<unknown>, outerOrder: RawBuilder<unknown>) {
  return sql<TokenRow>`
    select t.*, ${sql.join(usageColumns.map((column) => sql.ref(`u.${column}`)))}
    from (${rows}) as t join api_token_usage as u on u.token_id = t.id
    order by ${outerOrder}`;
}

/** Rows of the sort order a narrowed list reads first, to learn how its matches lie. */
const PROBE_ROWS = 2000;
/** Rows per page row read by the short probe that comes first. */
const QUICK_PROBE_ROWS_PER_ROW = 4;
/** Matches in those rows that show them spread through the sort order, not bunched. */
const SPREAD_MATCHES = 5;
/** Reading a match by index (collecting) against reading the next row of a walk: measured ~3×. */
const COLLECT_COST = 3;
/**
 * Collecting a match with its usage row against testing one more row of the usage order against
 * a hashed set of matching ids (walkUsageOrder): at 1M tokens, 55–63 ms for 9,000 matches
 * against 12 ms for 95,000 rows walked from the covering indexes (0.13 µs a row; about twice
 * that where the table has changed since its last vacuum), so about 50×; 40 errs to the walk's
 * slower case.
 */
const USAGE_WALK_ROWS_PER_MATCH = 40;
/**
 * A walked row tested against a last-use filter (a lookup of its usage row) against one tested
 * against the token's own columns: at 1M tokens, about 2.7 µs against 0.35 µs a row.
 */
const USAGE_LOOKUP_COST = 8;
/**
 * Most matches (the planner's estimate) worth holding as a hashed set of ids in memory. At
 * 100,000, tokens expiring in over 300 days (143,000) sorted by last use were collected: 459 ms,
 * against 87 ms walked.
 */
const USAGE_WALK_MAX_MATCHES = 250_000;

/**
 * A page narrowed by name, expiry or status. Two plans, each bad where the other is good:
 * - walking the sort index and filtering (the planner's usual choice) costs the rows read until a
 *   page of matches is found: little when matches are spread evenly and common, but when they
 *   bunch up elsewhere in the sort order (`grafana-12…`, names that grew with creation order; any
 *   common word sorted by name) it read 124,000 rows for 50 matches, 120 ms at 1M tokens, and up
 *   to 0.9 s; an expiry window of 2,700 tokens read 16,000 rows newest first (16–22 ms);
 * - collecting every match through the trigram or expiry index and sorting them costs the matches.
 * So the list first reads PROBE_ROWS rows of the sort order. A full page there is the page.
 * Otherwise it collects when the matches are few (an exact count up to the cap), when the probe
 * saw almost none (they bunch up somewhere after it, so a walk reads half the rows, expectedly)
 * and collecting costs less than reading half the rows, or when the walk the probe's density
 * predicts would read more than COLLECT_COST times the matches; else it walks.
 */
async function pageByFilter(
  db: DB,
  page: {
    /** For the last-use sort: a page walked from at most `rows` rows of the usage order. */
    walkUsageOrder?: (rows: number) => RawBuilder<TokenRow>;
    /** Every filter but the narrowing ones, after the cursor. */
    unfiltered: Expression<unknown>;
    /** Every filter, after the cursor. */
    filtered: Expression<unknown>;
    /** The same rows' sort key (`k`) and id only (used when joinUsage). */
    filteredKeys: Expression<unknown>;
    direction: RawBuilder<unknown>;
    /** Whether the page still needs its usage columns (unfiltered and filtered lack them). */
    joinUsage: boolean;
    /** The narrowing filters, as a condition on a page's columns (alias t). */
    filter: RawBuilder<boolean>;
    /** Whether testing a row against them looks its usage row up (a last-use filter). */
    filterLooksUpUsage: boolean;
    order: RawBuilder<unknown>;
    /** The same order over the selected columns. */
    outerOrder: RawBuilder<unknown>;
    limit: number;
    /** The list's total: exact up to the count cap, else the planner's estimate. */
    matches: Promise<{ total: number; totalIsEstimate: boolean }>;
  },
): Promise<TokenRow[]> {
  const { order, outerOrder, limit } = page;
  const finish = (rows: RawBuilder<unknown>) =>
    page.joinUsage ? joinUsage(rows, outerOrder) : sql<TokenRow>`${rows}`;
  const probe = (rows: number) =>
    finish(sql`
      select * from (${page.unfiltered} order by ${order} limit ${rows}) as t
      where ${page.filter}
      order by ${outerOrder} limit ${limit + 1}`).execute(db);
  // A short probe first: a common filter (enabled tokens) fills its page from a few rows, and
  // reading all PROBE_ROWS of a last-use order (joined to usage) cost it 5–7 ms.
  const quick = await probe(QUICK_PROBE_ROWS_PER_ROW * (limit + 1));
  if (quick.rows.length > limit) return quick.rows;
  const probed = await probe(PROBE_ROWS);
  const seen = probed.rows.length;
  if (seen > limit) return probed.rows;
  const matches = await page.matches;
  let walkedUsage = false;
  const walkUsageOrder = page.walkUsageOrder;
  if (walkUsageOrder && matches.totalIsEstimate && matches.total <= USAGE_WALK_MAX_MATCHES) {
    // Bounded so that a walk that finds too few costs about what collecting does, and then the
    // matches are collected: at worst twice the cheaper plan's cost.
    const rows = Math.max(PROBE_ROWS, matches.total * USAGE_WALK_ROWS_PER_MATCH);
    const walked = await db.transaction().execute(async (trx) => {
      // The matching ids must be hashed: a subplan that PostgreSQL expects not to fit in
      // work_mem (times hash_mem_multiplier, 1 before PostgreSQL 15) is read through again for
      // every walked row, which at 100,000 rows took over 20 s (work_mem 64 kB, 9,000 matches).
      // 100,000 ids need about 5 MB, so the most this walks with (250,000) about 12 MB.
      await sql`set local work_mem = '32MB'`.execute(trx);
      return walkUsageOrder(rows).execute(trx);
    });
    if (walked.rows.length > limit) return walked.rows;
    walkedUsage = true;
  }
  // What a walk would cost, in rows tested against the token's own columns: at the probe's
  // density of matches, or half the rows when the probe saw almost none.
  const rowCost = page.filterLooksUpUsage ? USAGE_LOOKUP_COST : 1;
  const walkCost = ((limit + 1) * PROBE_ROWS * rowCost) / Math.max(seen, 1);
  const collect =
    walkedUsage ||
    !matches.totalIsEstimate ||
    (seen < SPREAD_MATCHES &&
      matches.total * COLLECT_COST <= ((await estimateRows(db, page.unfiltered)) / 2) * rowCost) ||
    (seen > 0 && matches.total * COLLECT_COST <= walkCost);
  if (!collect)
    return (await finish(sql`${page.filtered} order by ${order} limit ${limit + 1}`).execute(db))
      .rows;
  // Materialized: the planner may not fold the search back into a walk of the sort index.
  if (!page.joinUsage) {
    // Sorted by last use: the matches carry their usage row already (collecting narrow rows as
    // below measured slower for this sort: 365–375 → 415–435 ms for 90,000 matches).
    const wide = sql`
      with t as materialized (${page.filtered})
      select * from t order by ${outerOrder} limit ${limit + 1}`;
    return (await finish(wide).execute(db)).rows;
  }
  // Collected as (sort key, id) pairs, then the page's rows are read by id: sorting narrow rows
  // instead of whole tokens is cheaper (90,000 matches sorted by name: 245–250 → 205 ms p50).
  const dir = page.direction;
  const collected = sql`
    with matched as materialized (${page.filteredKeys}),
      page as (select k, id from matched order by k ${dir}, id ${dir} limit ${limit + 1})
    select ${sql.join(tokenColumns.map((column) => sql.ref(`t.${column}`)))}
    from page join api_tokens as t on t.id = page.id`;
  return (await finish(collected).execute(db)).rows;
}

function toPage(
  rows: TokenRow[],
  limit: number,
  sort: TokenSort,
  key: SortKey,
  now: Date,
  count: { total: number; totalIsEstimate: boolean },
): TokenList {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ s: sort, v: key.of(last), i: last.id } satisfies TokenCursor)
      : null;
  const nowMs = now.getTime();
  return { items: items.map((r) => toTokenDto(r, nowMs)), nextCursor, ...count };
}

/**
 * The status sort without a status index (see the migration: that index would make every
 * enable/disable touch all indexes). Status has two values, so the (status, id) order is one
 * primary-key walk per value, filtered by status, taken in turn until the page is full. Narrowed
 * by name or expiry, each walk is read like any narrowed page (pageByFilter): a walk for a
 * value no match has read the whole key (`grafana` tokens by status: 2.7 s at 1M).
 */
async function pageByStatus(
  db: DB,
  rowsOf: {
    /** Every filter. */
    base: TokenBase;
    /** Every filter but the narrowing ones. */
    beforeNarrowing: TokenBase;
    /** The narrowing filters but status (each walk is one status). */
    narrowed: RawBuilder<boolean> | undefined;
  },
  query: ListTokensQuery,
  sort: TokenSort,
  limit: number,
): Promise<TokenRow[]> {
  const descending = sort.startsWith("-");
  const direction = sql.raw(descending ? "desc" : "asc");
  const order: TokenStatus[] = descending ? ["enabled", "disabled"] : ["disabled", "enabled"];
  const cursor = query.cursor
    ? decodeCursor(query.cursor, cursorValidator(sort, "text"))
    : undefined;
  const rows: TokenRow[] = [];
  for (const status of order) {
    if (rows.length > limit) break;
    if (query.status && query.status !== status) continue;
    // Statuses before the cursor's are done; within the cursor's, continue after its id.
    if (cursor && order.indexOf(status) < order.indexOf(cursor.v as TokenStatus)) continue;
    const afterCursor = (tokens: TokenBase) =>
      cursor && cursor.v === status
        ? tokens.where("t.id", descending ? "<" : ">", cursor.i)
        : tokens;
    if (rowsOf.narrowed) {
      const filter = sql<boolean>`(${rowsOf.narrowed}) and t.status = ${status}`;
      const filtered = afterCursor(rowsOf.beforeNarrowing.where(filter));
      const byId = sql`t.id ${direction}`;
      rows.push(
        ...(await pageByFilter(db, {
          unfiltered: afterCursor(rowsOf.beforeNarrowing).select(tokenColumns),
          filtered: filtered.select(tokenColumns),
          filteredKeys: filtered.select([sql`t.id`.as("k"), "t.id"]),
          direction,
          joinUsage: true,
          filter,
          filterLooksUpUsage: query.lastUsed !== undefined,
          order: byId,
          outerOrder: byId,
          // pageByFilter answers one row more than its limit, as this page needs.
          limit: limit - rows.length,
          matches: estimateRows(db, filtered.select(sql<number>`1`.as("one"))).then((total) => ({
            total,
            totalIsEstimate: true,
          })),
        })),
      );
      continue;
    }
    const found = await withUsage(afterCursor(rowsOf.base.where("t.status", "=", status)))
      .orderBy("t.id", descending ? "desc" : "asc")
      .limit(limit + 1 - rows.length)
      .execute();
    rows.push(...found);
  }
  return rows;
}
