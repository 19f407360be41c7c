// The yardstick: a bare Hono endpoint on the same Node HTTP server stack, doing no work.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono().get("/bare", (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 18182), hostname: "127.0.0.1" });
