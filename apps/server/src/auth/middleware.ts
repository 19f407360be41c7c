import { CSRF_COOKIE, CSRF_HEADER, DEVICE_COOKIE, SESSION_COOKIE } from "@keyward/contracts/auth";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { serviceErrorResponse } from "../http/responses.ts";
import { ForbiddenError, ServiceError, UnauthenticatedError } from "../services/errors.ts";
import { authenticateCliSession, cliSessionSecretFrom } from "./cli-sessions.ts";
import type { Principal } from "./principal.ts";
import {
  csrfTokenFor,
  csrfTokenMatches,
  lookupSession,
  type SessionLookup,
  sessionCookieValue,
  sessionSecretFromCookie,
  touchSession,
} from "./sessions.ts";
import { authenticateBearer } from "./token-auth.ts";
import { DEVICE_COOKIE_MAX_AGE_S, DEVICE_COOKIE_PATH } from "./trusted-devices.ts";

// Refresh the sliding expiry at most once a minute per session, so a busy page does not write on
// every request.
const REFRESH_INTERVAL_MS = 60_000;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const NO_SESSION: SessionLookup = { status: "unknown" };

export function isSecureRequest(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return c.get("deps").config.trustProxy > 0 && c.req.header("x-forwarded-proto") === "https";
}

export function setSessionCookies(
  c: Context<AppEnv>,
  session: { id: string; secret: string; expiresAt: Date },
) {
  const secure = isSecureRequest(c);
  const maxAge = Math.max(0, Math.round((session.expiresAt.getTime() - Date.now()) / 1000));
  const cookie = sessionCookieValue(c.get("deps").serverSecret, session.secret);
  setCookie(c, SESSION_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge,
  });
  setCsrfCookie(c, session.id, maxAge, secure);
}

/** Marks this browser as one that has signed in as the user (auth/trusted-devices.ts). */
export function setDeviceCookie(c: Context<AppEnv>, value: string) {
  setCookie(c, DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: "Strict",
    secure: isSecureRequest(c),
    path: DEVICE_COOKIE_PATH,
    maxAge: DEVICE_COOKIE_MAX_AGE_S,
  });
}

function setCsrfCookie(c: Context<AppEnv>, sessionId: string, maxAge: number, secure: boolean) {
  // Readable by the page on purpose: the web app echoes it in a header a cross-site form cannot set.
  setCookie(c, CSRF_COOKIE, csrfTokenFor(c.get("deps").serverSecret, sessionId), {
    httpOnly: false,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge,
  });
}

export function clearSessionCookies(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  deleteCookie(c, CSRF_COOKIE, { path: "/" });
}

/**
 * Resolves the caller from `Authorization: Bearer kw_…` or else the session cookie. A missing
 * credential is not refused here (routes decide whether a caller is required), but a presented
 * bearer token that does not work is: 401 `invalid_token`, saying why. A cookie that no longer
 * works is cleared so the browser stops sending it.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("principal", null);
  c.set("sessionProblem", undefined);
  const authorization = c.req.header("authorization");
  if (authorization !== undefined) {
    // Command-line session tokens (`kws_…`) are sessions, not API tokens: see cli-sessions.ts.
    const cliSecret = cliSessionSecretFrom(authorization);
    if (cliSecret !== undefined) {
      await authenticateCliSession(c, cliSecret);
      return next();
    }
    const found = authenticateBearer(
      c.get("deps"),
      authorization,
      c.get("meta"),
      c.env?.parsedBearer,
    );
    const bearer = found instanceof Promise ? await found : found;
    // Answered here rather than thrown: refusing bad tokens must stay as cheap as a bare answer.
    if (bearer instanceof ServiceError) return serviceErrorResponse(c, bearer);
    c.set("principal", bearer);
    return next();
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) {
    const { db, policy, serverSecret } = c.get("deps");
    const secret = sessionSecretFromCookie(serverSecret, cookie);
    const found = secret ? await lookupSession(db.db, secret) : NO_SESSION;
    // A command-line session's secret is not a cookie: as one it would skip the CSRF check.
    if (found.status === "valid" && found.principal.session?.kind === "browser") {
      const principal = found.principal;
      const session = principal.session;
      if (secret && session && Date.now() - found.lastSeenAt.getTime() > REFRESH_INTERVAL_MS) {
        const { sessionDurationMs, sessionRefresh } = await policy.get();
        const expiresAt = await touchSession(db.db, session.id, sessionDurationMs, sessionRefresh);
        if (expiresAt && sessionRefresh) {
          session.expiresAt = expiresAt;
          setSessionCookies(c, { id: session.id, secret, expiresAt });
        }
      }
      c.set("principal", principal);
    } else {
      c.set("sessionProblem", found.status === "expired" ? "expired" : "unknown");
      clearSessionCookies(c);
    }
  }
  await next();
};

/**
 * Cookie-authenticated writes must carry the CSRF token, and any write that names an Origin must
 * come from this origin. Bearer-authenticated requests carry no ambient credentials and skip it.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (UNSAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header("origin");
    if (origin && origin !== new URL(c.req.url).origin && !sameHost(origin, c.req.header("host"))) {
      throw new ForbiddenError("Cross-site request refused.", "csrf_failed");
    }
    if (c.req.header("sec-fetch-site") === "cross-site") {
      throw new ForbiddenError("Cross-site request refused.", "csrf_failed");
    }
    const principal = c.get("principal");
    if (principal?.authMethod === "session" && principal.session?.kind === "browser") {
      if (
        !csrfTokenMatches(
          c.get("deps").serverSecret,
          principal.session.id,
          c.req.header(CSRF_HEADER),
        )
      ) {
        throw new ForbiddenError(
          "Missing or invalid CSRF token. Reload the page and try again.",
          "csrf_failed",
        );
      }
    }
  }
  await next();
};

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The caller, or a 401 that tells an ended session apart from no session at all. */
export function requirePrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (principal) return principal;
  if (c.get("sessionProblem") === "expired")
    throw new UnauthenticatedError("session_expired", "Your session has ended. Sign in again.");
  throw new UnauthenticatedError();
}
