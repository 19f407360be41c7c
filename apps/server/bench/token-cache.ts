// `pnpm bench:cache`: the in-process maps on the token path, with no HTTP or database. The
// verification cache: a warm lookup, caching a record read on a miss into a cache with room and
// into a full one (100,000 records, the default bound: every miss then evicts), and caching one
// token again and again (a wrong secret for a real token id). The failure limiter: a failure from
// an address already counted, over and over (one client flooding bad tokens), and from a new
// address when 100,000 are tracked. Prints µs per operation, the median of 5 runs.
import { FailureLimiter } from "../src/auth/rate-limiter.ts";
import type { TokenRecord } from "../src/auth/token-cache.ts";
import { TokenCache } from "../src/auth/token-cache.ts";
import { median } from "./harness.ts";

const MAX = 100_000;
const OPS = 200_000;

const record = (id: string, userId: string): TokenRecord => ({
  id,
  userId,
  hash: Buffer.alloc(32),
  status: "enabled",
  expiresAt: null,
  scopes: ["all"],
  allow: [],
  owner: {
    username: "user",
    displayName: "User",
    email: null,
    status: "active",
    role: { id: "rol_member", name: "Member", permissions: ["tokens.own.manage"] },
  },
});
// Built beforehand, so only the cache's work is timed.
const records = Array.from({ length: MAX + OPS }, (_, i) =>
  record(`tok_${i.toString().padStart(16, "0")}`, `usr_${i % 10_000}`),
);

function perOp(run: () => void): number {
  const started = performance.now();
  run();
  return ((performance.now() - started) * 1000) / OPS;
}

function measure<T>(name: string, prepare: () => T, run: (subject: T) => void) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const subject = prepare();
    runs.push(perOp(() => run(subject)));
  }
  console.log(`  ${name.padEnd(44)} ${median(runs).toFixed(3).padStart(7)} µs`);
}

const filled =
  (count: number, maxEntries = MAX) =>
  () => {
    const cache = new TokenCache({ maxEntries });
    for (let i = 0; i < count; i++) cache.set(records[i] as TokenRecord, cache.snapshot());
    return cache;
  };

console.log(`TokenCache, ${OPS.toLocaleString("en")} operations per run (median of 5):`);
measure("lookup of a cached token", filled(MAX), (cache) => {
  for (let i = 0; i < OPS; i++) cache.get((records[i % MAX] as TokenRecord).id);
});
measure("cache a miss, room left", filled(0, MAX + OPS), (cache) => {
  for (let i = 0; i < OPS; i++) cache.set(records[i] as TokenRecord, cache.snapshot());
});
measure(`cache a miss, full (${MAX.toLocaleString("en")} records)`, filled(MAX), (cache) => {
  for (let i = MAX; i < MAX + OPS; i++) cache.set(records[i] as TokenRecord, cache.snapshot());
});
measure("cache the same token again", filled(MAX), (cache) => {
  const again = records[0] as TokenRecord;
  for (let i = 0; i < OPS; i++) cache.set(again, cache.snapshot());
});

const addresses = Array.from(
  { length: MAX + OPS },
  (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
);
const tracking = (count: number) => () => {
  const limiter = new FailureLimiter({ freeFailures: 20, windowMs: 600_000, maxDelayMs: 60_000 });
  for (let i = 0; i < count; i++) limiter.recordFailure(addresses[i] as string);
  return limiter;
};
console.log(`FailureLimiter, ${OPS.toLocaleString("en")} failures per run (median of 5):`);
measure(`one address again, ${MAX.toLocaleString("en")} tracked`, tracking(MAX), (limiter) => {
  for (let i = 0; i < OPS; i++) limiter.recordFailure("198.51.100.7");
});
measure(`a new address each time, full`, tracking(MAX), (limiter) => {
  for (let i = MAX; i < MAX + OPS; i++) limiter.recordFailure(addresses[i] as string);
});
