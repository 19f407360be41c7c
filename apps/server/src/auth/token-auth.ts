// Checking an API token secret: shared by the authentication middleware (Bearer requests) and
// POST /tokens/verify, so other services get exactly the answer a request to Keyward would get.
import type { VerifyReason } from "@keyward/contracts/tokens";
import { preparedAs } from "@keyward/db/client";
import { type DB, sql } from "@keyward/db/kysely";
import type { AppDeps, RequestMeta } from "../context.ts";
import {
  digestsEqual,
  hashesEqual,
  type ParsedSecret,
  parseTokenSecret,
  secretMatches,
  TOKEN_SECRET_LENGTH,
  verifiedSecretDigest,
} from "../lib/token-secret.ts";
import { RateLimitedError, ServiceError } from "../services/errors.ts";
import type { Principal } from "./principal.ts";
import type { FailureLimiter } from "./rate-limiter.ts";
import { toPermissions } from "./sessions.ts";
import type { TokenCache, TokenRecord } from "./token-cache.ts";

export type TokenCheck =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: Extract<VerifyReason, "malformed" | "unknown">; record?: undefined }
  | {
      ok: false;
      reason: Extract<VerifyReason, "disabled" | "expired" | "owner_disabled">;
      record: TokenRecord;
    };

// Compared against when the token id is unknown, so an unknown id costs the same HMAC and
// comparison as a wrong secret and the timing says nothing about which ids exist.
const DUMMY_HASH = Buffer.alloc(32, 0x5a);

const TOKEN_RECORDS_STATEMENT = preparedAs("token-records");

/** What verification needs about some tokens, their owners and the owners' roles. */
function tokenRecordsQuery(db: DB, tokenIds: readonly string[]) {
  return (
    db
      .selectFrom("api_tokens as t")
      .innerJoin("users as u", "u.id", "t.user_id")
      .innerJoin("roles as r", "r.id", "u.role_id")
      .select([
        "t.id",
        "t.user_id",
        "t.secret_hash",
        "t.status",
        "t.expires_at",
        "t.scopes",
        "t.allow",
        "u.username",
        "u.display_name",
        "u.email",
        "u.status as user_status",
        "r.id as role_id",
        "r.name as role_name",
        "r.permissions",
      ])
      // One statement text for any number of ids, prepared once per connection: at cold-cache
      // rates planning this join cost more database time than running it.
      .where(sql<boolean>`t.id = any(${tokenIds}::text[])`)
      .modifyFront(TOKEN_RECORDS_STATEMENT)
  );
}

type TokenRecordsQuery = ReturnType<ReturnType<typeof tokenRecordsQuery>["compile"]>;
// Compiled once per database handle: the text never changes, and building and compiling it
// again for every batch of cache misses was a tenth of the server's work per cold request.
const compiledTokenRecords = new WeakMap<DB, TokenRecordsQuery>();

/** Reads what verification needs about some tokens, their owners and the owners' roles. */
export async function loadTokenRecords(
  db: DB,
  tokenIds: readonly string[],
): Promise<Map<string, TokenRecord>> {
  let compiled = compiledTokenRecords.get(db);
  if (!compiled) {
    compiled = tokenRecordsQuery(db, []).compile();
    compiledTokenRecords.set(db, compiled);
  }
  const batch: TokenRecordsQuery = { ...compiled, parameters: [tokenIds] };
  const { rows } = await db.executeQuery(batch);
  const records = new Map<string, TokenRecord>();
  for (const row of rows) {
    records.set(row.id, {
      id: row.id,
      userId: row.user_id,
      hash: row.secret_hash,
      status: row.status,
      expiresAt: row.expires_at,
      scopes: row.scopes,
      allow: row.allow,
      owner: {
        username: row.username,
        displayName: row.display_name,
        email: row.email,
        status: row.user_status,
        role: { id: row.role_id, name: row.role_name, permissions: toPermissions(row.permissions) },
      },
    });
  }
  return records;
}

interface Waiter {
  resolve(record: TokenRecord | undefined): void;
  reject(error: unknown): void;
}

/**
 * Loads token records for cache misses, coalescing the misses of one event-loop turn into one
 * query: under load many requests present tokens not in the cache at once (a restart, a fleet of
 * services each with its own token), and one primary-key query per request would make the
 * database the bottleneck. A lone miss waits for nothing but the current turn to end.
 */
export class TokenRecordLoader {
  private pending = new Map<string, Waiter[]>();
  private scheduled = false;

  constructor(
    private readonly db: DB,
    private readonly maxBatch = 500,
  ) {}

  load(tokenId: string): Promise<TokenRecord | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(tokenId);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(tokenId, [{ resolve, reject }]);
      if (this.pending.size >= this.maxBatch) this.dispatch();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  private dispatch(): void {
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    loadTokenRecords(this.db, [...batch.keys()]).then(
      (records) => {
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(records.get(id));
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      },
    );
  }
}

/**
 * Is this secret a working token right now? Malformed text is refused before any cache or
 * database work; a warm token needs no database round trip (docs/decisions/0007).
 */
export function checkTokenSecret(
  deps: Pick<AppDeps, "serverSecret" | "tokenCache" | "tokenLoader" | "tokenLimiter">,
  text: string,
  options: TokenCheckOptions = {},
): Promise<TokenCheck> {
  const parsed = parseTokenSecret(text);
  if (!parsed) return Promise.resolve(MALFORMED);
  const known = checkVerifiedSecret(deps.tokenCache, parsed, options.now);
  return known ? Promise.resolve(known) : checkAgainstDatabase(deps, parsed, options);
}

export interface TokenCheckOptions {
  now?: number;
  /**
   * The client address whose failure budget must allow a database read (a cache miss): over
   * budget, the check throws 429 there, so the limit guards the database without delaying
   * warm tokens or malformed ones. Absent: no limit.
   */
  limitedAddress?: string;
}

const MALFORMED = { ok: false, reason: "malformed" } as const;

/**
 * The answer for a secret this process has already seen match its keyed hash, decided without
 * waiting on anything; undefined when a database read must decide. Callers on the request path
 * use it first, so a warm token costs no promise.
 */
export function checkVerifiedSecret(
  cache: TokenCache,
  parsed: ParsedSecret,
  now = Date.now(),
): TokenCheck | undefined {
  const record = cache.get(parsed.tokenId);
  if (!record || !digestMatches(parsed.secret, record)) return undefined;
  return judge(record, now);
}

/** A cache miss, or a secret the cache has not seen match: checked against a fresh read. */
export async function checkAgainstDatabase(
  deps: Pick<AppDeps, "serverSecret" | "tokenCache" | "tokenLoader" | "tokenLimiter">,
  parsed: ParsedSecret,
  options: TokenCheckOptions = {},
): Promise<TokenCheck> {
  // A refusal costs one read and one HMAC whether or not the id exists or was used lately.
  if (options.limitedAddress !== undefined)
    refuseLimitedAddress(deps.tokenLimiter, options.limitedAddress);
  const cached = deps.tokenCache.get(parsed.tokenId);
  const generation = deps.tokenCache.snapshot();
  const record = await deps.tokenLoader.load(parsed.tokenId);
  if (!record) {
    secretMatches(deps.serverSecret, parsed.secret, DUMMY_HASH);
    return { ok: false, reason: "unknown" };
  }
  // A wrong secret must not cost the token's next real use a read: keep what the cache knew.
  if (cached?.verifiedDigest && hashesEqual(cached.hash, record.hash))
    record.verifiedDigest = cached.verifiedDigest;
  deps.tokenCache.set(record, generation);
  // A regenerated token keeps its id: the old secret reaches the record but not its hash.
  if (!secretMatches(deps.serverSecret, parsed.secret, record.hash))
    return { ok: false, reason: "unknown" };
  record.verifiedDigest = verifiedSecretDigest(parsed.secret);
  return judge(record, options.now ?? Date.now());
}

/** A record whose secret matched: is the token usable now? */
function judge(record: TokenRecord, now: number): TokenCheck {
  if (record.owner.status !== "active") return { ok: false, reason: "owner_disabled", record };
  if (record.status !== "enabled") return { ok: false, reason: "disabled", record };
  if (record.expiresAt && record.expiresAt.getTime() <= now)
    return { ok: false, reason: "expired", record };
  return { ok: true, record };
}

/**
 * Has this secret matched the record's keyed hash before? A cached record keeps a plain SHA-256
 * of the secret that last matched, and later uses compare against that: one SHA-256 costs a
 * fraction of an HMAC, and at warm-cache rates an HMAC would be a tenth of a request. A digest of
 * a 256-bit random secret reveals no more than the keyed hash does, and it never leaves memory.
 */
function digestMatches(secret: string, record: TokenRecord): boolean {
  if (!record.verifiedDigest) return false;
  return digestsEqual(verifiedSecretDigest(secret), record.verifiedDigest);
}

/**
 * An address that kept presenting malformed or unknown tokens waits before its next token costs a
 * database read. Warm tokens (already verified, in the cache) and malformed text (refused without
 * I/O) are answered at once: the limit protects the database, and a neighbour's flood behind the
 * same address does not lock out a working token. docs/decisions/0009.
 */
export function refuseLimitedAddress(limiter: FailureLimiter, ip: string): void {
  const waitMs = limiter.retryAfterMs(ip);
  if (waitMs > 0) {
    throw new RateLimitedError(
      waitMs / 1000,
      "Too many invalid API tokens from this address. Wait and try again.",
    );
  }
}

export const verifyReasonMessages: Record<VerifyReason, string> = {
  malformed: "The API token is malformed.",
  unknown: "The API token is not valid.",
  disabled: "The API token is disabled.",
  expired: "The API token has expired.",
  owner_disabled: "The API token's owner is disabled.",
  insufficient_scope: "The API token lacks the scope.",
  resource_not_allowed: "The API token's allow list does not include the resource.",
};

/**
 * The caller an `Authorization: Bearer` header names, or the 401 to answer (the request
 * middleware's token path, kept free of Hono so the bench can measure it alone). A warm token is decided without
 * waiting on anything, so the common case costs no promise.
 */
export function authenticateBearer(
  deps: AppDeps,
  header: string,
  meta: Pick<RequestMeta, "ip" | "userAgent">,
  parsed = bearerSecretOf(header),
): Principal | ServiceError | Promise<Principal | ServiceError> {
  if (!parsed) return refuseMalformedToken(deps, meta.ip);
  const known = checkVerifiedSecret(deps.tokenCache, parsed);
  if (known) return acceptToken(deps, meta, known);
  return checkAgainstDatabase(deps, parsed, { limitedAddress: meta.ip }).then((check) =>
    acceptToken(deps, meta, check),
  );
}

/** The well-formed API token secret an `Authorization: Bearer …` header carries, or null. */
export function bearerSecretOf(header: string): ParsedSecret | null {
  // What clients send, read in place (and refused in one pass); other spacing takes the pattern.
  if (
    header.length === CANONICAL_BEARER.length + TOKEN_SECRET_LENGTH &&
    header.startsWith(CANONICAL_BEARER)
  ) {
    return parseTokenSecret(header, CANONICAL_BEARER.length);
  }
  const presented = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  return presented ? parseTokenSecret(presented) : null;
}
const CANONICAL_BEARER = "Bearer ";

/** The 401 for a header that holds no well-formed API token, counted against the address. */
export function refuseMalformedToken(
  deps: Pick<AppDeps, "tokenLimiter">,
  ip: string,
): ServiceError {
  return refuseToken(deps, ip, MALFORMED);
}

function acceptToken(
  deps: AppDeps,
  meta: Pick<RequestMeta, "ip" | "userAgent">,
  check: TokenCheck,
): Principal | ServiceError {
  if (!check.ok) return refuseToken(deps, meta.ip, check);
  // Buffered and written in batches: the request never waits on this.
  deps.lastUsed.record(check.record.id, meta.ip, meta.userAgent);
  return principalFromToken(check.record);
}

function refuseToken(
  deps: Pick<AppDeps, "tokenLimiter">,
  ip: string,
  check: Extract<TokenCheck, { ok: false }>,
): ServiceError {
  // Only guesses count against the address; a revoked token retried by a script is not one.
  if (check.reason === "malformed" || check.reason === "unknown")
    deps.tokenLimiter.recordFailure(ip);
  return tokenRefusals[check.reason];
}

type RefusalReason = Extract<TokenCheck, { ok: false }>["reason"];
// Built once per reason: refusals come at flood rates (a scanner, a script with a revoked token),
// and an error is only read on the way out. Exported for the bench's reference answer.
export const tokenRefusals = Object.fromEntries(
  (["malformed", "unknown", "disabled", "expired", "owner_disabled"] as const).map((reason) => [
    reason,
    Object.freeze(
      new ServiceError(401, "invalid_token", verifyReasonMessages[reason], undefined, {
        "WWW-Authenticate": `Bearer error="invalid_token"`,
      }),
    ),
  ]),
) as Record<RefusalReason, ServiceError>;

export function principalFromToken(record: TokenRecord): Principal {
  return {
    user: {
      id: record.userId,
      username: record.owner.username,
      displayName: record.owner.displayName,
      email: record.owner.email,
    },
    role: record.owner.role,
    authMethod: "token",
    token: {
      id: record.id,
      scopes: record.scopes,
      allow: record.allow,
      expiresAt: record.expiresAt,
    },
  };
}
