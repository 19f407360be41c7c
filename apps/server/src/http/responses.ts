// Building answers cheaply: these run on every request, at token-request rates.
import type { ErrorEnvelope } from "@keyward/contracts/errors";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import type { ServiceError } from "../services/errors.ts";

/**
 * Sets a response header on Node's response when the app is served by Node: it merges them under
 * whatever the handler's answer sets. Going through c.header() instead makes Hono build a WHATWG
 * Headers object per response, which at token-request rates costs more than verifying the token.
 * Under app.request() (tests) there is no Node response, and c.header() is used.
 */
export function setResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  const outgoing = c.env?.outgoing;
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

export function errorEnvelope(c: Context<AppEnv>, error: ServiceError): ErrorEnvelope {
  return envelopeOf(error, c.get("requestId") ?? "unknown");
}

/** The shared error envelope for a request that has no Hono context (refused before routing). */
export function envelopeOf(error: ServiceError, requestId: string): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.issues ? { issues: error.issues } : {}),
    },
  };
}

/** The shared error envelope for a failure a caller can act on, with its headers. */
export function serviceErrorResponse(c: Context<AppEnv>, error: ServiceError): Response {
  if (error.headers)
    for (const name in error.headers) setResponseHeader(c, name, error.headers[name] ?? "");
  return c.json(errorEnvelope(c, error), error.status);
}
