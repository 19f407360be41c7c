import { type DB, sql, type Transaction } from "@keyward/db/kysely";
import type { Database } from "@keyward/db/types";
import { type BackoffOptions, waitAfterFailures } from "./rate-limiter.ts";

/** How often a process deletes the counts whose window has passed. */
const PRUNE_INTERVAL_MS = 60_000;
/**
 * Longest key stored. A client address comes from X-Forwarded-For behind a proxy and can be any
 * length; an index entry cannot (8,000 random characters made the insert fail with a 500).
 */
const MAX_KEY_LENGTH = 200;
const bounded = (keys: readonly string[]) => keys.map((key) => key.slice(0, MAX_KEY_LENGTH));

/** The key a username's failed sign-ins are counted under, whatever its letter case. */
export function usernameKey(username: string): string {
  return `user:${username.toLowerCase()}`;
}

/**
 * Forgets the failures counted against these keys: a success, or a password set anew. A function
 * of its own so that a transaction, or a command without a limiter, can do it too.
 */
export async function forgetSignInFailures(
  db: DB | Transaction<Database>,
  keys: readonly string[],
): Promise<void> {
  await db
    .deleteFrom("sign_in_failures")
    .where("key", "=", (eb) => eb.fn.any(sql<string[]>`${bounded(keys)}::text[]`))
    .execute();
}

/**
 * The failed sign-in counts, kept in the database so that every server process over it enforces
 * the same limit and a restart forgives nothing (docs/decisions/0016). Same rule as the
 * in-memory FailureLimiter the token path uses: after `freeFailures` failures inside `windowMs`,
 * each attempt waits 1 s, 2 s, 4 s … up to `maxDelayMs`. Keys are strings such as `ip:…`,
 * `user:…` or `device:…`; the caller reserves several at once. The clock is the caller's (tests
 * move it), so times are computed here, not by the database.
 */
export class SignInLimiter {
  private lastPrune = 0;

  constructor(
    private readonly db: DB,
    private readonly options: BackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts an attempt as a failure against every key before its password is checked, unless one
   * of them must still wait: answers that wait in milliseconds, or 0 when the attempt may go on
   * (reset() then takes it back on success). Reading the counts and writing the failure after
   * the password check let a burst of parallel guesses all read the same count, so this is one
   * statement. Against the database's latest row each key is counted only while it need not
   * wait; whether any key must wait is judged from the statement's snapshot, which is the same
   * thing unless attempts race, and then a refused attempt may have counted against its other
   * keys: strict, never lenient. A refused attempt writes nothing otherwise.
   */
  async reserveAttempt(keys: readonly string[]): Promise<number> {
    const now = this.now();
    const at = new Date(now);
    const windowStart = new Date(now - this.options.windowMs);
    const { freeFailures, maxDelayMs } = this.options;
    // In one order for every attempt: the statement locks each key's row in turn until it ends,
    // and two attempts taking shared keys in opposite orders could deadlock.
    const attemptKeys = sql`${[...new Set(bounded(keys))].sort()}::text[]`;
    // waitAfterFailures() > 0, in SQL. The exponent is capped where the delay already is.
    const mustWait = (row: string) => {
      const failures = sql.ref(`${row}.failures`);
      const last = sql.ref(`${row}.last_failure_at`);
      return sql`(${failures} >= ${freeFailures}::int
        and ${last} >= ${windowStart}::timestamptz
        and ${last} + least(1000 * power(2, least(${failures} - ${freeFailures}::int, 40)),
          ${maxDelayMs}::float8) * interval '1 millisecond' > ${at}::timestamptz)`;
    };
    const { rows } = await sql<{
      failures: number | null;
      last_failure_at: Date | null;
      counted: boolean;
    }>`
      with counted as (
        insert into sign_in_failures as f (key, failures, last_failure_at)
        select key, 1, ${at}::timestamptz from unnest(${attemptKeys}) as attempt(key)
        where not exists (
          select 1 from sign_in_failures w where w.key = any(${attemptKeys}) and ${mustWait("w")}
        )
        on conflict (key) do update set
          failures = case when f.last_failure_at < ${windowStart}::timestamptz
            then 1 else f.failures + 1 end,
          last_failure_at = excluded.last_failure_at
        where not ${mustWait("f")}
        returning f.key
      )
      select s.failures, s.last_failure_at,
        exists (select 1 from counted c where c.key = k.key) as counted
      from unnest(${attemptKeys}) as k(key) left join sign_in_failures s on s.key = k.key
    `.execute(this.db);

    if (rows.every((r) => r.counted)) {
      await this.prune(now, windowStart);
      return 0;
    }
    const wait = Math.max(
      0,
      ...rows.map((r) =>
        r.last_failure_at
          ? waitAfterFailures(this.options, r.failures ?? 0, r.last_failure_at.getTime(), now)
          : 0,
      ),
    );
    // Nothing to wait for in the snapshot: refused by a count that a racing attempt raised, which
    // the snapshot cannot show. The first step of the backoff is the least it can be.
    return wait > 0 ? wait : 1000;
  }

  reset(keys: readonly string[]): Promise<void> {
    return forgetSignInFailures(this.db, keys);
  }

  /**
   * Takes back the attempt reserved against these keys, and only that: for an address after a
   * success there, whose other failures may be someone's guesses at other accounts (clearing
   * them let anyone with an account of their own spray guesses between their own sign-ins).
   */
  async release(keys: readonly string[]): Promise<void> {
    await this.db
      .updateTable("sign_in_failures")
      .set({ failures: sql<number>`greatest(failures - 1, 0)` })
      .where("key", "=", (eb) => eb.fn.any(sql<string[]>`${bounded(keys)}::text[]`))
      .execute();
  }

  private async prune(now: number, windowStart: Date): Promise<void> {
    if (now - this.lastPrune <= PRUNE_INTERVAL_MS) return;
    this.lastPrune = now;
    await this.db
      .deleteFrom("sign_in_failures")
      .where("last_failure_at", "<", windowStart)
      .execute();
  }
}
