import { createRoute } from "@hono/zod-openapi";
import {
  settingsImpactQuerySchema,
  settingsImpactSchema,
  settingsSchema,
  updateSettingsInputSchema,
} from "@keyward/contracts/settings";
import { getSettings } from "../services/settings/get-settings.ts";
import { settingsImpact } from "../services/settings/settings-impact.ts";
import { updateSettings } from "../services/settings/update-settings.ts";
import { authenticated, createRouter, errorResponses, jsonBody, jsonContent } from "./router.ts";
import { serviceContext } from "./service-context.ts";
import { signedInContext } from "./signed-in.ts";

const getSettingsRoute = createRoute({
  method: "get",
  path: "/settings",
  tags: ["Settings"],
  summary: "Token and session policy in effect",
  description:
    "A value set by its environment variable (`KEYWARD_MAX_TOKEN_LIFETIME`, …) wins and is marked in `fixedByEnvironment`; else the saved value; else the default. Any signed-in caller may read it.",
  security: authenticated,
  responses: { 200: jsonContent(settingsSchema, "The policy"), ...errorResponses(401, 403) },
});

const updateSettingsRoute = createRoute({
  method: "patch",
  path: "/settings",
  tags: ["Settings"],
  summary: "Change the token and session policy",
  description:
    "Needs `settings.manage` (tokens: `settings:update`). Durations as `720h`, `90d`, `1h30m`; null for a lifetime means none. Values fixed by the environment answer 409 `setting_fixed_by_environment`; a default longer than the maximum answers 400 `default_exceeds_max_lifetime`. Applies to tokens created or edited, and sessions started, afterwards.",
  security: authenticated,
  request: { body: jsonBody(updateSettingsInputSchema) },
  responses: {
    200: jsonContent(settingsSchema, "The policy as changed"),
    ...errorResponses(400, 401, 403, 409),
  },
});

const impactRoute = createRoute({
  method: "get",
  path: "/settings/impact",
  tags: ["Settings"],
  summary: "How many existing tokens a proposed maximum lifetime exceeds",
  description:
    "Needs `settings.manage`. Counts tokens that never expire or expire later than now + `maxTokenLifetime`; they keep working until they expire.",
  security: authenticated,
  request: { query: settingsImpactQuerySchema },
  responses: {
    200: jsonContent(settingsImpactSchema, "The count"),
    ...errorResponses(400, 401, 403),
  },
});

export const settingsRoutes = createRouter()
  .openapi(getSettingsRoute, async (c) => c.json(await getSettings(serviceContext(c)), 200))
  .openapi(updateSettingsRoute, async (c) =>
    c.json(await updateSettings(signedInContext(c), c.req.valid("json")), 200),
  )
  .openapi(impactRoute, async (c) => {
    const impact = await settingsImpact(signedInContext(c), c.req.valid("query"));
    return c.json(impact, 200);
  });
