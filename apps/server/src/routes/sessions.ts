import { createRoute, z } from "@hono/zod-openapi";
import { cliTokenSchema, sessionListSchema } from "@keyward/contracts/sessions";
import { clearSessionCookies } from "../auth/middleware.ts";
import { createCliSession } from "../services/sessions/create-cli-session.ts";
import { endOwnSession } from "../services/sessions/end-own-session.ts";
import { listOwnSessions } from "../services/sessions/list-own-sessions.ts";
import { authenticated, createRouter, errorResponses, jsonContent } from "./router.ts";
import { signedInContext } from "./signed-in.ts";

const listRoute = createRoute({
  method: "get",
  path: "/me/sessions",
  tags: ["Sessions"],
  summary: "The caller's active sessions",
  description:
    "Browser and command-line sessions that have not expired, most recently used first; `current` marks this one.",
  security: authenticated,
  responses: {
    200: jsonContent(sessionListSchema, "Active sessions"),
    ...errorResponses(401, 403),
  },
});

const endRoute = createRoute({
  method: "delete",
  path: "/me/sessions/{id}",
  tags: ["Sessions"],
  summary: "End one of the caller's sessions",
  description: "Ending the current session signs out. Another user's session answers 404.",
  security: authenticated,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 204: { description: "Ended" }, ...errorResponses(401, 403, 404) },
});

const cliTokenRoute = createRoute({
  method: "post",
  path: "/auth/cli-token",
  tags: ["Authentication"],
  summary: "Issue a short-lived session token for the command line",
  description:
    "From a signed-in browser session only. Answers a `kws_…` token once; send it as `Authorization: Bearer kws_…`. It lasts one hour (or the session duration, if shorter), sliding while in use, and is listed and ended like any session.",
  security: authenticated,
  responses: {
    201: jsonContent(cliTokenSchema, "The token, shown this once"),
    ...errorResponses(401, 403),
  },
});

export const sessionRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const items = await listOwnSessions(signedInContext(c));
    return c.json({ items }, 200);
  })
  .openapi(endRoute, async (c) => {
    const { current } = await endOwnSession(signedInContext(c), c.req.valid("param").id);
    if (current) clearSessionCookies(c);
    return c.body(null, 204);
  })
  .openapi(cliTokenRoute, async (c) => {
    const token = await createCliSession(signedInContext(c));
    return c.json(token, 201);
  });
