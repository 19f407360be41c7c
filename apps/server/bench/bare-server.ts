// The yardstick: a bare Hono endpoint on the same Node HTTP server stack, doing no work.
//   /bare      answers {"ok":true}
//   /refusal   answers what Keyward answers a malformed token (status, headers, envelope with a
//              fresh request id) with no work behind it: the cost of the answer itself, which
//              the client pays too, so the malformed case can be read against it
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { API_HEADERS } from "../src/http/api-headers.ts";
import { requestIdGenerator } from "../src/lib/request-id.ts";

const nextRequestId = requestIdGenerator();
const app = new Hono()
  .get("/bare", (c) => c.json({ ok: true }))
  // Built the way Keyward builds it (a plain header object, the cheapest form for the adapter).
  .get("/refusal", () => {
    const requestId = nextRequestId();
    const envelope = {
      error: { code: "invalid_token", message: "The API token is malformed.", requestId },
    };
    return new Response(JSON.stringify(envelope), {
      status: 401,
      headers: {
        "X-Request-Id": requestId,
        ...API_HEADERS,
        "WWW-Authenticate": `Bearer error="invalid_token"`,
        "Content-Type": "application/json",
      },
    });
  });
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 18182), hostname: "127.0.0.1" });
