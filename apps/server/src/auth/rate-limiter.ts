import { trimOldest } from "../lib/bounded-map.ts";

export interface BackoffOptions {
  freeFailures: number;
  windowMs: number;
  maxDelayMs: number;
}

/**
 * How long an attempt must still wait after `failures` failures inside the window, the last at
 * `last` (epoch ms): nothing for the free ones, then 1 s, 2 s, 4 s … capped at `maxDelayMs`.
 */
export function waitAfterFailures(
  options: BackoffOptions,
  failures: number,
  last: number,
  now: number,
): number {
  if (failures < options.freeFailures || now - last > options.windowMs) return 0;
  const delay = Math.min(1000 * 2 ** (failures - options.freeFailures), options.maxDelayMs);
  return Math.max(0, last + delay - now);
}

/**
 * Slows repeated failures from one key (a client address presenting bad API tokens). After
 * `freeFailures` failures inside `windowMs`, each further attempt must wait an exponentially
 * growing delay (1 s, 2 s, 4 s … capped at `maxDelayMs`). Kept in memory, per process: it only
 * keeps floods of unguessable tokens off the database, on the request path, where a query per
 * check would defeat it. Sign-in failures are counted in the database (SignInLimiter).
 */
export class FailureLimiter {
  private readonly entries = new Map<string, { failures: number; last: number }>();

  constructor(
    private readonly options: BackoffOptions & { maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the caller must still wait, or 0 when an attempt is allowed now. */
  retryAfterMs(key: string): number {
    const entry = this.current(key);
    return entry ? waitAfterFailures(this.options, entry.failures, entry.last, this.now()) : 0;
  }

  recordFailure(key: string): void {
    const entry = this.current(key);
    if (entry) {
      // Updated in place. Deleting and re-adding the key on every failure (to keep the map in
      // order of last failure) left a deleted slot in the key's hash chain each time: one address
      // flooding failures made each next failure walk thousands of them (~20 µs with 100,000
      // addresses tracked). Eviction now goes by first failure, which the window bounds anyway.
      entry.failures += 1;
      entry.last = this.now();
      return;
    }
    this.entries.set(key, { failures: 1, last: this.now() });
    // Bound memory under a flood of distinct keys: the earliest go first.
    trimOldest(this.entries, this.options.maxKeys ?? 100_000);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string) {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.last > this.options.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
