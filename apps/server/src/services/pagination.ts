// Shared by the paginated lists (tokens, audit): opaque cursors and capped counts.
import { type DB, type Expression, sql } from "@keyward/db/kysely";
import { findUnstorableText } from "../lib/storable-text.ts";
import { ValidationError } from "./errors.ts";

/** Counted exactly up to here; beyond it the total is the planner's estimate. */
// Counting stops here: with a 10% filter at 1M rows an exact count to 10,000 cost ~100 ms a
// request, to 1,000 about 10 ms; beyond the cap the planner estimate is accurate enough for "≈".
export const COUNT_CAP = 1_000;

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The decoded cursor, or 400 `invalid_cursor` when it is not one this list handed out. */
export function decodeCursor<T>(text: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  // A cursor's values go into queries: text they cannot hold would fail there (500), not here.
  if (findUnstorableText(value) || !isValid(value)) {
    throw new ValidationError(
      "The cursor is not valid for this list. Start again from the first page.",
      [{ path: ["cursor"], message: "Not a cursor from this list and sort order" }],
      "invalid_cursor",
    );
  }
  return value;
}

/**
 * How many rows a query matches, without ever counting a whole large table per request: an
 * exact count stops after COUNT_CAP + 1 rows; above that, the planner's row estimate is answered
 * and marked as an estimate.
 */
export async function countCapped(
  db: DB,
  rows: Expression<unknown>,
): Promise<{ total: number; totalIsEstimate: boolean }> {
  const exact = await countUpTo(db, rows, COUNT_CAP + 1);
  if (exact <= COUNT_CAP) return { total: exact, totalIsEstimate: false };
  return { total: Math.max(COUNT_CAP + 1, await estimateRows(db, rows)), totalIsEstimate: true };
}

/** How many rows a query matches, counting no further than `limit`. */
export async function countUpTo(db: DB, rows: Expression<unknown>, limit: number): Promise<number> {
  const counted = await sql<{ n: string | number }>`
    select count(*) as n from (${rows} limit ${limit}) as capped
  `.execute(db);
  return Number(counted.rows[0]?.n ?? 0);
}

/** The query planner's estimate of how many rows a query returns: no rows are read. */
export async function estimateRows(db: DB, rows: Expression<unknown>): Promise<number> {
  const plan = await sql<{ "QUERY PLAN": unknown }>`explain (format json) ${rows}`.execute(db);
  return planRows(plan.rows[0]?.["QUERY PLAN"]);
}

function planRows(plan: unknown): number {
  const parsed = typeof plan === "string" ? (JSON.parse(plan) as unknown) : plan;
  const top = Array.isArray(parsed)
    ? (parsed[0] as { Plan?: { "Plan Rows"?: number } })
    : undefined;
  return Math.round(top?.Plan?.["Plan Rows"] ?? 0);
}
