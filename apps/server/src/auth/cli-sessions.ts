import { CLI_TOKEN_PREFIX } from "@keyward/contracts/sessions";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import type { EffectivePolicy } from "../services/settings/policy.ts";
import { lookupSession, touchSession } from "./sessions.ts";
import { refuseLimitedAddress } from "./token-auth.ts";

// Command-line sessions: rows in `sessions` of kind `cli`, presented as
// `Authorization: Bearer kws_<secret>`. They authenticate exactly like a browser session (same
// user, same role, read on every request) but carry no cookie, so CSRF does not apply to them.

/** A command-line session lasts an hour, or the browser session duration if that is shorter. */
export const CLI_SESSION_MAX_MS = 3_600_000;

export function cliSessionDurationMs(policy: Pick<EffectivePolicy, "sessionDurationMs">): number {
  return Math.min(CLI_SESSION_MAX_MS, policy.sessionDurationMs);
}

// Same cadence as browser sessions: at most one expiry write per minute per session.
const REFRESH_INTERVAL_MS = 60_000;

/** The secret part of `Authorization: Bearer kws_…`, or undefined when the header is not one. */
export function cliSessionSecretFrom(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const token = match?.[1];
  return token?.startsWith(CLI_TOKEN_PREFIX) ? token.slice(CLI_TOKEN_PREFIX.length) : undefined;
}

/**
 * Resolves a command-line session token into the request's principal. Only `cli` sessions are
 * accepted here, so a browser cookie value pasted as a bearer token does not skip CSRF checks.
 * While in use the expiry slides by the command-line duration (unless refresh is disabled).
 */
export async function authenticateCliSession(c: Context<AppEnv>, secret: string): Promise<void> {
  const { db, policy, tokenLimiter } = c.get("deps");
  const { ip } = c.get("meta");
  // Every command-line token costs a read, so guesses count against the address like API tokens.
  refuseLimitedAddress(tokenLimiter, ip);
  const found = await lookupSession(db.db, secret);
  if (found.status !== "valid" || found.principal.session?.kind !== "cli") {
    if (found.status !== "expired") tokenLimiter.recordFailure(ip);
    c.set("sessionProblem", found.status === "expired" ? "expired" : "unknown");
    return;
  }
  const { principal } = found;
  const session = principal.session;
  if (session && Date.now() - found.lastSeenAt.getTime() > REFRESH_INTERVAL_MS) {
    const current = await policy.get();
    const expiresAt = await touchSession(
      db.db,
      session.id,
      cliSessionDurationMs(current),
      current.sessionRefresh,
    );
    if (expiresAt) session.expiresAt = expiresAt;
  }
  c.set("principal", principal);
}
