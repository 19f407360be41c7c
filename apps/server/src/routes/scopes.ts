import { createRoute } from "@hono/zod-openapi";
import { buildScopeCatalog, scopeCatalogSchema } from "@keyward/contracts/scopes";
import { requirePrincipal } from "../auth/middleware.ts";
import { authenticated, createRouter, errorResponses, jsonContent } from "./router.ts";

const catalog = buildScopeCatalog();

const scopesRoute = createRoute({
  method: "get",
  path: "/scopes",
  tags: ["API tokens"],
  summary: "The scope catalog",
  description:
    "Every scope a token may carry: `all` (the default: everything the owner's role allows), `resource:*`, and `resource:action`.",
  security: authenticated,
  responses: { 200: jsonContent(scopeCatalogSchema, "The catalog"), ...errorResponses(401) },
});

export const scopeRoutes = createRouter().openapi(scopesRoute, (c) => {
  requirePrincipal(c);
  return c.json(catalog, 200);
});
