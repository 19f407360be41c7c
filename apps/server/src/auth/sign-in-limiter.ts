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
 * `user:…` or `device:…`; the caller checks and records several at once. The clock is the
 * caller's (tests move it), so times are computed here, not by the database.
 */
export class SignInLimiter {
  private lastPrune = 0;

  constructor(
    private readonly db: DB,
    private readonly options: BackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before any of these keys may try again: one read. */
  async retryAfterMs(keys: readonly string[]): Promise<number> {
    const rows = await this.db
      .selectFrom("sign_in_failures")
      .select(["failures", "last_failure_at"])
      .where("key", "=", (eb) => eb.fn.any(sql<string[]>`${bounded(keys)}::text[]`))
      .execute();
    const now = this.now();
    return Math.max(
      0,
      ...rows.map((r) =>
        waitAfterFailures(this.options, r.failures, r.last_failure_at.getTime(), now),
      ),
    );
  }

  /** Counts one failure against each key, starting a key afresh once its window has passed. */
  async recordFailure(keys: readonly string[]): Promise<void> {
    const now = this.now();
    const windowStart = new Date(now - this.options.windowMs);
    await this.db
      .insertInto("sign_in_failures")
      .values(bounded(keys).map((key) => ({ key, failures: 1, last_failure_at: new Date(now) })))
      .onConflict((conflict) =>
        conflict.column("key").doUpdateSet({
          failures: sql<number>`case when sign_in_failures.last_failure_at < ${windowStart}
            then 1 else sign_in_failures.failures + 1 end`,
          last_failure_at: (eb) => eb.ref("excluded.last_failure_at"),
        }),
      )
      .execute();
    if (now - this.lastPrune > PRUNE_INTERVAL_MS) {
      this.lastPrune = now;
      await this.db
        .deleteFrom("sign_in_failures")
        .where("last_failure_at", "<", windowStart)
        .execute();
    }
  }

  reset(keys: readonly string[]): Promise<void> {
    return forgetSignInFailures(this.db, keys);
  }
}
