import type { HttpBindings } from "@hono/node-server";
import type { DbHandle } from "@keyward/db/client";
import type { AuthInvalidation } from "./auth/invalidation.ts";
import type { LastUsedRecorder } from "./auth/last-used.ts";
import type { Principal } from "./auth/principal.ts";
import type { FailureLimiter } from "./auth/rate-limiter.ts";
import type { SignInLimiter } from "./auth/sign-in-limiter.ts";
import type { TokenRecordLoader } from "./auth/token-auth.ts";
import type { TokenCache } from "./auth/token-cache.ts";
import type { AppConfig } from "./env.ts";
import type { Logger } from "./lib/logger.ts";
import type { ParsedSecret } from "./lib/token-secret.ts";
import type { PolicyCache } from "./services/settings/policy.ts";

/** Everything the app needs from the outside; tests build one per test database. */
export interface AppDeps {
  db: DbHandle;
  config: AppConfig;
  logger: Logger;
  /** Keys token hashes and CSRF tokens. */
  serverSecret: Buffer;
  /** Slows failed sign-ins per address, username or device cookie, shared by all processes. */
  loginLimiter: SignInLimiter;
  /** Slows clients (by address) that keep presenting malformed or unknown API tokens. */
  tokenLimiter: FailureLimiter;
  /** Verified tokens, so a warm token request needs no database round trip. */
  tokenCache: TokenCache;
  /** Reads token records on cache misses, many misses per query. */
  tokenLoader: TokenRecordLoader;
  /** Publishes and applies cache invalidations (token, user or role changes). */
  invalidation: AuthInvalidation;
  /** Buffers token last-used facts and writes them in batches. */
  lastUsed: LastUsedRecorder;
  /** The effective token and session policy (environment, else Settings page, else default). */
  policy: PolicyCache;
  version: string;
  /** Flushes buffered writes and closes listeners. Call before closing the database. */
  stop(): Promise<void>;
}

/** Facts about the current request that services record (audit) or use (rate limits). */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | null;
}

/** What a service verb gets: its dependencies, the caller, and the request's facts. */
export interface ServiceContext {
  deps: AppDeps;
  principal: Principal | null;
  meta: RequestMeta;
}

export interface AppEnv {
  /**
   * Node's request and response when served by @hono/node-server; absent under app.request().
   * `parsedBearer`: the API token the Authorization header holds, parsed before routing (app.ts)
   * so the middleware does not parse it again.
   */
  Bindings: (Partial<HttpBindings> & { parsedBearer?: ParsedSecret }) | undefined;
  Variables: {
    deps: AppDeps;
    requestId: string;
    meta: RequestMeta;
    principal: Principal | null;
    /** Why a presented session did not authenticate, so a 401 can say "session ended". */
    sessionProblem: "expired" | "unknown" | undefined;
  };
}
