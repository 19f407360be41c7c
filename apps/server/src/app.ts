import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { ErrorEnvelope } from "@keyward/contracts/errors";
import type { Context, Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { cliSessionSecretFrom } from "./auth/cli-sessions.ts";
import { authenticate, csrfProtection } from "./auth/middleware.ts";
import { bearerSecretOf, refuseMalformedToken } from "./auth/token-auth.ts";
import type { AppDeps, AppEnv } from "./context.ts";
import { earlyErrorResponse, setApiHeaders } from "./http/api-headers.ts";
import { errorEnvelope, serviceErrorResponse } from "./http/responses.ts";
import { isDatabaseUnavailable } from "./lib/db-errors.ts";
import { isSafeRequestId, requestIdGenerator } from "./lib/request-id.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes } from "./routes/auth.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { roleRoutes } from "./routes/roles.ts";
import { scopeRoutes } from "./routes/scopes.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { userRoutes } from "./routes/users.ts";
import { ServiceError, UnavailableError } from "./services/errors.ts";

/** Largest request body accepted by the API: room for a bulk action on 10,000 ids. */
export const MAX_BODY_BYTES = 1024 * 1024;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The caller's address. Behind `proxies` proxies of one's own, the X-Forwarded-For entry that many
 * from the right: each proxy appends the address it saw, so the entries further left are the
 * client's own words (taking the first let anyone pick the address their failures count
 * against, and the audit log shows). Else, or with fewer entries, the leftmost one a trusted
 * proxy could have written; without proxies, the peer's.
 */
export function clientIp(
  incoming: IncomingMessage | undefined,
  forwardedFor: string | null | undefined,
  proxies: number,
): string {
  if (proxies > 0 && forwardedFor) {
    const hops = forwardedFor.split(",");
    const forwarded = hops[Math.max(0, hops.length - proxies)]?.trim();
    if (forwarded) return forwarded;
  }
  // app.request() in tests has no socket.
  if (!incoming) return "127.0.0.1";
  return incoming.socket.remoteAddress ?? "unknown";
}

/** A path whose raw text is the path Hono routes: no dot segments or escapes to normalize. */
const PLAIN_API_PATH = /^\/api\/v1\/[\w\-/]*(?:\?|$)/;

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const { logger, config } = deps;

  const pageHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", "data:"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
    crossOriginEmbedderPolicy: false,
  });

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ServiceError(
        413,
        "payload_too_large",
        `Request body larger than ${MAX_BODY_BYTES} bytes.`,
      );
    },
  });
  // The API's guards. Only requests that may carry a body go through bodyLimit (it reads
  // c.req.raw, which makes the Node adapter build a full Request object) and the CSRF check.
  const guardApi = (c: Context<AppEnv>, next: Next) =>
    BODY_METHODS.has(c.req.method)
      ? limitBody(c, async () => {
          const refused = await authenticate(c, async () => {
            await csrfProtection(c, next);
          });
          // authenticate() answers a refused token itself, and bodyLimit drops what its next
          // returns: without this, a write with a bad token was a 500.
          if (refused) c.res = refused;
        })
      : authenticate(c, next);

  // Handlers read request state with c.get(): Hono's c.var builds a fresh object on every access.
  // One middleware instead of several: each layer of Hono's chain costs a promise per request.
  const nextRequestId = requestIdGenerator();
  /** A proxy's request id when it is safe to echo, else a new one. */
  const requestIdFor = (incomingId: string | null | undefined) =>
    incomingId && isSafeRequestId(incomingId) ? incomingId : nextRequestId();
  app.use((c, next) => {
    const requestId = requestIdFor(c.req.header("x-request-id"));
    c.set("requestId", requestId);
    c.set("deps", deps);
    c.set("meta", {
      requestId,
      ip: clientIp(
        c.env?.incoming,
        config.trustProxy ? c.req.header("x-forwarded-for") : undefined,
        config.trustProxy,
      ),
      userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
    });
    const isApi = c.req.path.startsWith("/api/v1/");
    if (isApi) setApiHeaders(c, requestId);
    else c.header("X-Request-Id", requestId);
    const logEvery = logger.isLevelEnabled(isApi ? "info" : "debug");
    const started = logEvery ? performance.now() : 0;
    // API requests run their guards in this same layer.
    const handled = (isApi ? guardApi(c, next) : pageHeaders(c, next)) as Promise<unknown>;
    // A guard's own failure is answered here rather than by Hono's handler after this layer, so
    // that the log line has its status. (Inline callbacks: a named closure per request would cost
    // a defineProperty under tsx's keepNames.)
    const logged = { requestId, started, logEvery, isApi };
    return handled.then(
      (answer) => completeRequest(c, logged, answer),
      (error: unknown) => completeRequest(c, logged, answerError(error, c)),
    );
  });
  /**
   * Logs a request when the level asks for every one, or when it failed. A guard may answer by
   * itself (a refused token) with its Response; otherwise the chain resolves to the context, and
   * the route's answer is c.res.
   */
  const completeRequest = (
    c: Context<AppEnv>,
    request: { requestId: string; started: number; logEvery: boolean; isApi: boolean },
    answer: unknown,
  ) => {
    if (request.logEvery || request.isApi) {
      const status = answer instanceof Response ? answer.status : c.res.status;
      if (request.logEvery)
        logRequest(c, request.requestId, status, performance.now() - request.started);
      else if (status >= 500) logRequest(c, request.requestId, status, undefined);
    }
    return answer as Response | undefined;
  };
  const logRequest = (
    c: Context<AppEnv>,
    requestId: string,
    status: number,
    ms: number | undefined,
  ) => {
    writeRequestLog({
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: ms === undefined ? undefined : Math.round(ms * 10) / 10,
      ip: c.get("meta").ip,
      userId: c.get("principal")?.user.id,
    });
  };
  const writeRequestLog = (entry: {
    requestId: string;
    method: string;
    path: string;
    status: number;
    ms: number | undefined;
    ip: string;
    userId: string | undefined;
  }) => {
    if (entry.status >= 500) logger.error(entry, "request failed");
    else if (entry.path.startsWith("/api/")) logger.info(entry, "request");
    else logger.debug(entry, "request");
  };

  app.route("/api/v1", healthRoutes);
  app.route("/api/v1", authRoutes);
  app.route("/api/v1", tokenRoutes);
  app.route("/api/v1", scopeRoutes);
  app.route("/api/v1", auditRoutes);
  app.route("/api/v1", settingsRoutes);
  app.route("/api/v1", sessionRoutes);
  app.route("/api/v1", userRoutes);
  app.route("/api/v1", roleRoutes);
  app.route("/api/docs", docsRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
    type: "apiKey",
    in: "cookie",
    name: "kw_session",
    description:
      "Browser session from POST /api/v1/auth/login. Writes also need the x-csrf-token header.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API token (`kw_…`) or a command-line session token.",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Keyward API",
      version: deps.version,
      description:
        "API tokens for people and services. Errors share one envelope: `{error:{code,message,requestId,issues?}}`.",
    },
    servers: [{ url: "/" }],
  });

  let servePage: ((c: Context<AppEnv>) => Promise<Response | undefined>) | undefined;
  if (config.webDist && existsSync(join(config.webDist, "index.html"))) {
    const root = config.webDist;
    const indexFile = join(root, "index.html");
    app.use(
      "/assets/*",
      async (c, next) => {
        await next();
        if (c.res.ok) c.header("Cache-Control", "public, max-age=31536000, immutable");
      },
      serveStatic({ root }),
    );
    // Other files of the built app, and any other page path (the single-page app's router takes
    // it), are found only when no route matched: catch-all routes here would be matched, and
    // walked past, by every API request.
    const serveFile = serveStatic({ root });
    servePage = async (c) => {
      if (c.req.path.startsWith("/api/")) return undefined;
      const file = await serveFile(c, async () => {});
      if (file) return file;
      if (c.req.method !== "GET" && c.req.method !== "HEAD") return undefined;
      c.header("Cache-Control", "no-cache");
      // Read per request (a small, OS-cached file) so a rebuild never leaves stale asset names.
      return c.html(readFileSync(indexFile, "utf8"));
    };
  }

  app.notFound(async (c) => {
    const page = await servePage?.(c);
    if (page) return page;
    const error = new ServiceError(
      404,
      "route_not_found",
      `No route for ${c.req.method} ${c.req.path}.`,
    );
    return c.json(errorEnvelope(c, error), 404);
  });

  const answerError = (err: unknown, c: Context<AppEnv>): Response => {
    let error: ServiceError;
    if (err instanceof ServiceError) {
      error = err;
    } else if (err instanceof HTTPException) {
      const malformed = err.status === 400 && /malformed json/i.test(err.message);
      error = malformed
        ? new ServiceError(400, "malformed_json", "The request body is not valid JSON.")
        : new ServiceError(
            err.status === 413 ? 413 : 400,
            err.status === 413 ? "payload_too_large" : "bad_request",
            err.message || "Bad request.",
          );
    } else if (isDatabaseUnavailable(err)) {
      logger.warn(
        { requestId: c.get("requestId"), err: { message: (err as Error).message } },
        "database unavailable",
      );
      error = new UnavailableError();
    } else {
      logger.error({ requestId: c.get("requestId"), err }, "unhandled error");
      return c.json(
        {
          error: {
            code: "internal_error",
            message: "Something went wrong on our side.",
            requestId: c.get("requestId"),
          },
        } satisfies ErrorEnvelope,
        500,
      );
    }
    return serviceErrorResponse(c, error);
  };
  app.onError(answerError);

  /**
   * An API request whose Authorization header cannot hold a working token (neither a well-formed
   * API token nor a command-line session) is refused here, before Hono routes it and builds its
   * context: at flood rates (a scanner, a broken client) that pipeline cost more than the answer.
   * The answer, its headers, the failure counted against the address and the log line are the
   * middleware's. Only under Node (app.request() has no incoming request) and for plain paths.
   */
  const refuseMalformedEarly = (
    request: Request,
    env: AppEnv["Bindings"],
  ): Response | undefined => {
    const incoming = env?.incoming;
    if (!env || !incoming?.url || !PLAIN_API_PATH.test(incoming.url)) return;
    // The request's own Headers, which Hono reads next anyway (Node's incoming.headers would be
    // built a second time, at a cost felt on every request).
    const header = request.headers.get("authorization");
    if (header === null) return;
    const parsed = bearerSecretOf(header);
    if (parsed) {
      // Handed to the middleware with the request: parsing (a checksum over the secret) twice
      // was a measurable part of a warm request.
      env.parsedBearer = parsed;
      return;
    }
    if (cliSessionSecretFrom(header) !== undefined) return;
    const ip = clientIp(
      incoming,
      config.trustProxy ? request.headers.get("x-forwarded-for") : undefined,
      config.trustProxy,
    );
    const refusal = refuseMalformedToken(deps, ip);
    const requestId = requestIdFor(request.headers.get("x-request-id"));
    // As completeRequest logs it: every API request at info, with the status it was answered with.
    if (logger.isLevelEnabled("info")) {
      writeRequestLog({
        requestId,
        method: request.method,
        path: incoming.url.split("?", 1)[0] ?? incoming.url,
        status: refusal.status,
        ms: 0,
        ip,
        userId: undefined,
      });
    }
    return earlyErrorResponse(refusal, requestId);
  };
  const routeRequest = app.fetch;
  app.fetch = (request, env, executionCtx) =>
    refuseMalformedEarly(request, env) ?? routeRequest(request, env, executionCtx);

  return app;
}

export type App = ReturnType<typeof createApp>;
