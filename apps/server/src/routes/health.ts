import { createRoute } from "@hono/zod-openapi";
import { healthSchema } from "@keyward/contracts/auth";
import { pingDb } from "@keyward/db/client";
import { createRouter, jsonContent } from "./router.ts";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["System"],
  summary: "Is the service up and its database reachable?",
  responses: {
    200: jsonContent(healthSchema, "The service and its database answer"),
    503: jsonContent(healthSchema, "The database does not answer"),
  },
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const { db, version } = c.get("deps");
  const up = await pingDb(db.db);
  return up
    ? c.json({ status: "ok" as const, database: "up" as const, engine: db.engine, version }, 200)
    : c.json(
        { status: "unavailable" as const, database: "down" as const, engine: db.engine, version },
        503,
      );
});
