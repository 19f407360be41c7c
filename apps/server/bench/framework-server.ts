// The framework's floor under a full API request: a Hono app with Keyward's own route table (the
// same entries in the same order, read from createApp), one middleware that marks the answer as
// an API answer as Keyward's does, and GET /api/v1/me answering what Keyward's /me answers for a
// bench token, served as Keyward is (serveApp). No token check, no request facts, no logging:
// what any request through this stack costs before Keyward does anything. `pnpm bench` and
// `pnpm bench:pipeline` measure Keyward's warm /me against it as well as against the bare endpoint.
import { Hono } from "hono";
import { createApp } from "../src/app.ts";
import type { AppDeps, AppEnv } from "../src/context.ts";
import { serveApp, setApiHeaders } from "../src/http/api-headers.ts";
import { createLogger } from "../src/lib/logger.ts";
import { requestIdGenerator } from "../src/lib/request-id.ts";
import { toMe } from "../src/services/users/get-me.ts";
import { samplePrincipal } from "./sample-principal.ts";

// Building the app only registers its routes; these are the parts of its dependencies that reads.
const keyward = createApp({
  logger: createLogger("warn"),
  config: { trustProxy: 0 },
  version: "bench",
} as unknown as AppDeps);

const nextRequestId = requestIdGenerator();
const app = new Hono<AppEnv>();
app.use((c, next) => {
  setApiHeaders(c, nextRequestId());
  return next();
});
for (const { method, path } of keyward.routes) {
  if (path === "/*") continue; // Keyward's own middleware, stood in for by the one above
  if (method === "GET" && path === "/api/v1/me")
    app.get(path, (c) => c.json(toMe(samplePrincipal), 200));
  else app.on(method, path, (c) => c.json({}));
}
serveApp(app, { port: Number(process.env.PORT ?? 18185), hostname: "127.0.0.1" });
