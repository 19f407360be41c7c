import { trimOldest } from "../lib/bounded-map.ts";

/**
 * Slows repeated failures from one key (a client address, a username). After `freeFailures`
 * failures inside `windowMs`, each further attempt must wait an exponentially growing delay
 * (1 s, 2 s, 4 s … capped at `maxDelayMs`). Kept in memory: a restart forgives, which is
 * acceptable for slowing guessing; the scrypt cost bounds the rate anyway.
 */
export class FailureLimiter {
  private readonly entries = new Map<string, { failures: number; last: number }>();

  constructor(
    private readonly options: {
      freeFailures: number;
      windowMs: number;
      maxDelayMs: number;
      maxKeys?: number;
    },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the caller must still wait, or 0 when an attempt is allowed now. */
  retryAfterMs(key: string): number {
    const entry = this.current(key);
    if (!entry || entry.failures < this.options.freeFailures) return 0;
    const delay = Math.min(
      1000 * 2 ** (entry.failures - this.options.freeFailures),
      this.options.maxDelayMs,
    );
    return Math.max(0, entry.last + delay - this.now());
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
