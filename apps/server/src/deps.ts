import { readFileSync } from "node:fs";
import type { DbHandle } from "@keyward/db/client";
import { FailureLimiter } from "./auth/rate-limiter.ts";
import type { AppDeps } from "./context.ts";
import type { AppConfig } from "./env.ts";
import type { Logger } from "./lib/logger.ts";

const version = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export function createDeps(input: { db: DbHandle; config: AppConfig; logger: Logger; serverSecret: Buffer }): AppDeps {
  return {
    ...input,
    version,
    // Five free failures per address or username in 15 minutes, then 1 s, 2 s, 4 s … up to 15 min.
    loginLimiter: new FailureLimiter({ freeFailures: 5, windowMs: 15 * 60_000, maxDelayMs: 15 * 60_000 }),
  };
}
