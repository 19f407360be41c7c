import { createRoute } from "@hono/zod-openapi";
import { settingsSchema } from "@keyward/contracts/settings";
import { getSettings } from "../services/settings/get-settings.ts";
import { authenticated, createRouter, errorResponses, jsonContent } from "./router.ts";
import { serviceContext } from "./service-context.ts";

const getSettingsRoute = createRoute({
  method: "get",
  path: "/settings",
  tags: ["Settings"],
  summary: "Token and session policy",
  description: "Set by environment variables (`KEYWARD_MAX_TOKEN_LIFETIME`, …); read-only for now.",
  security: authenticated,
  responses: { 200: jsonContent(settingsSchema, "The policy"), ...errorResponses(401, 403) },
});

export const settingsRoutes = createRouter().openapi(getSettingsRoute, (c) =>
  c.json(getSettings(serviceContext(c)), 200),
);
