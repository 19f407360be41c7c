// The headers every API answer carries, and the Node server that writes them cheaply.
import { type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from "node:http";
import { type ServerType, serve } from "@hono/node-server";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import type { ServiceError } from "../services/errors.ts";
import { envelopeOf, setResponseHeader } from "./responses.ts";

/**
 * Headers on every API answer besides X-Request-Id; an answer may set its own value for one.
 * JSON answers need only the headers a browser acts on for them (the page set is ~15).
 */
export const API_HEADERS = {
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
} as const;
type ApiHeader = keyof typeof API_HEADERS;

const apiHeaderEntries = Object.entries(API_HEADERS).map(
  ([name, value]) => [name.toLowerCase(), value] as const,
);

/**
 * Node's response for the app's server (serveApp): it writes the API headers in the same call
 * that writes the answer's own. Set one by one with setHeader(), Node merges them into the
 * answer's headers header by header at writeHead(): ~8 µs of a ~50 µs warm token request.
 */
export class ApiServerResponse extends ServerResponse {
  /** Set for an API answer: writeHead() adds the API headers with this request id. */
  apiRequestId: string | undefined = undefined;

  override writeHead(
    statusCode: number,
    messageOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    const requestId = this.apiRequestId;
    if (requestId === undefined)
      return super.writeHead(statusCode, messageOrHeaders as string, headers);
    const defaults = this.apiHeadersNotSet(requestId);
    if (typeof messageOrHeaders === "string" || Array.isArray(messageOrHeaders)) {
      // Forms @hono/node-server does not use: Node merges headers set beforehand.
      for (const name in defaults) this.setHeader(name, defaults[name] as string);
      return super.writeHead(statusCode, messageOrHeaders as string, headers);
    }
    // Headers passed here win over the defaults.
    if (messageOrHeaders)
      for (const name in messageOrHeaders) defaults[name.toLowerCase()] = messageOrHeaders[name];
    return super.writeHead(statusCode, defaults);
  }

  /** The request id and API headers, but those the answer has already set (setHeader) itself. */
  private apiHeadersNotSet(requestId: string): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    if (!this.hasHeader("x-request-id")) headers["x-request-id"] = requestId;
    for (const [name, value] of apiHeaderEntries) if (!this.hasHeader(name)) headers[name] = value;
    return headers;
  }
}

/** Marks an answer as an API answer: its request id and API_HEADERS go out with it. */
export function setApiHeaders(c: Context<AppEnv>, requestId: string): void {
  const outgoing = c.env?.outgoing;
  if (outgoing instanceof ApiServerResponse) {
    outgoing.apiRequestId = requestId;
    return;
  }
  // Another server (or app.request() in tests, through c.header()).
  setResponseHeader(c, "X-Request-Id", requestId);
  for (const name in API_HEADERS) setResponseHeader(c, name, API_HEADERS[name as ApiHeader]);
}

/**
 * A refusal answered before Hono routes the request (no context to set headers on): the error
 * envelope with the API headers and the error's own, in a plain header object, the cheapest form
 * for the Node adapter.
 */
export function earlyErrorResponse(error: ServiceError, requestId: string): Response {
  return new Response(JSON.stringify(envelopeOf(error, requestId)), {
    status: error.status,
    headers: {
      "X-Request-Id": requestId,
      ...API_HEADERS,
      ...error.headers,
      "Content-Type": "application/json",
    },
  });
}

/** Serves a Hono app with Node's HTTP server, answering through ApiServerResponse. */
export function serveApp(
  app: { fetch: Parameters<typeof serve>[0]["fetch"] },
  options: { port: number; hostname: string },
  onListening?: Parameters<typeof serve>[1],
): ServerType {
  return serve(
    {
      fetch: app.fetch,
      ...options,
      serverOptions: { ServerResponse: ApiServerResponse as typeof ServerResponse },
    },
    onListening,
  );
}
