// The yardstick: a bare Hono endpoint on the same Node HTTP server stack, doing no work.
//   /bare      answers {"ok":true}
//   /refusal   answers what Keyward answers a malformed token (status, headers, envelope with a
//              fresh request id) with no work behind it: the cost of the answer itself, which
//              the client pays too, so the malformed case can be read against it
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { tokenRefusals } from "../src/auth/token-auth.ts";
import { earlyErrorResponse } from "../src/http/api-headers.ts";
import { requestIdGenerator } from "../src/lib/request-id.ts";

const nextRequestId = requestIdGenerator();
const app = new Hono()
  .get("/bare", (c) => c.json({ ok: true }))
  // Built by the very function Keyward's early refusal uses.
  .get("/refusal", () => earlyErrorResponse(tokenRefusals.malformed, nextRequestId()));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 18182), hostname: "127.0.0.1" });
