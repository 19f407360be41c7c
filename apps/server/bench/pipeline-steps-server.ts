// Steps from the bare endpoint towards a full token request, for `pnpm bench:pipeline`: each route
// adds one part of what Keyward's app does around the token check, with the app's own code.
//   /bare             the bare endpoint (as bare-server.ts)
//   /headers          plus the headers every API answer carries (request id and five more)
//   /headers-answer   plus an answer the size and shape of GET /api/v1/me
import { Hono } from "hono";
import type { AppEnv } from "../src/context.ts";
import { serveApp, setApiHeaders } from "../src/http/api-headers.ts";
import { requestIdGenerator } from "../src/lib/request-id.ts";
import { toMe } from "../src/services/users/get-me.ts";
import { samplePrincipal } from "./sample-principal.ts";

const nextRequestId = requestIdGenerator();

const app = new Hono<AppEnv>()
  .get("/bare", (c) => c.json({ ok: true }))
  .get("/headers", (c) => {
    setApiHeaders(c, nextRequestId());
    return c.json({ ok: true });
  })
  .get("/headers-answer", (c) => {
    setApiHeaders(c, nextRequestId());
    return c.json(toMe(samplePrincipal), 200);
  });
// Served as the app is (serveApp), so the headers step costs what it costs there.
serveApp(app, { port: Number(process.env.PORT ?? 18184), hostname: "127.0.0.1" });
