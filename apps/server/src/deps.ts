import { readFileSync } from "node:fs";
import type { DbHandle } from "@keyward/db/client";
import { AuthInvalidation } from "./auth/invalidation.ts";
import { LastUsedRecorder } from "./auth/last-used.ts";
import { FailureLimiter } from "./auth/rate-limiter.ts";
import { SignInLimiter } from "./auth/sign-in-limiter.ts";
import { TokenRecordLoader } from "./auth/token-auth.ts";
import { TokenCache } from "./auth/token-cache.ts";
import type { AppDeps } from "./context.ts";
import type { AppConfig } from "./env.ts";
import type { Logger } from "./lib/logger.ts";
import { PolicyCache } from "./services/settings/policy.ts";

const version = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/** Builds everything the app needs and starts its background work (see AppDeps.stop). */
export function createDeps(input: {
  db: DbHandle;
  config: AppConfig;
  logger: Logger;
  serverSecret: Buffer;
}): AppDeps {
  const tokenCache = new TokenCache();
  const invalidation = new AuthInvalidation(input.db, tokenCache, input.logger);
  const lastUsed = new LastUsedRecorder(input.db.db, input.logger);
  invalidation.start();
  lastUsed.start();
  return {
    ...input,
    version,
    // Five free failures per address or username in 15 minutes, then 1 s, 2 s, 4 s … up to 15 min,
    // counted in the database so that every process enforces the same limit.
    loginLimiter: new SignInLimiter(input.db.db, {
      freeFailures: 5,
      windowMs: 15 * 60_000,
      maxDelayMs: 15 * 60_000,
    }),
    // Token secrets cannot be guessed (256 bits); this only keeps floods of bad tokens from
    // costing database lookups. Twenty free failures per address in 10 minutes, then backoff.
    tokenLimiter: new FailureLimiter({
      freeFailures: 20,
      windowMs: 10 * 60_000,
      maxDelayMs: 60_000,
    }),
    tokenCache,
    tokenLoader: new TokenRecordLoader(input.db.db),
    invalidation,
    lastUsed,
    policy: new PolicyCache(input.db.db, input.config),
    async stop() {
      await lastUsed.stop();
      await invalidation.stop();
    },
  };
}
