// `pnpm bench:cache`: the verification cache's own costs, in process, with no HTTP or database:
// a warm lookup, and caching a record read on a miss into a cache with room and into a full one
// (100,000 records, the default bound: every miss then evicts). Prints µs per operation, the
// median of 5 runs.
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

function measure(name: string, prepare: () => TokenCache, run: (cache: TokenCache) => void) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cache = prepare();
    runs.push(perOp(() => run(cache)));
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
