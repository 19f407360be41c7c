import { createRoute, z } from "@hono/zod-openapi";
import { endedSessionsSchema } from "@keyward/contracts/sessions";
import {
  createUserInputSchema,
  listUsersQuerySchema,
  updateUserInputSchema,
  userDetailSchema,
  userListSchema,
  userSchema,
} from "@keyward/contracts/users";
import { clearSessionCookies } from "../auth/middleware.ts";
import { endUserSessions } from "../services/sessions/end-user-sessions.ts";
import { createUser } from "../services/users/create-user.ts";
import { getUser } from "../services/users/get-user.ts";
import { listUsers } from "../services/users/list-users.ts";
import { updateUser } from "../services/users/update-user.ts";
import { authenticated, createRouter, errorResponses, jsonBody, jsonContent } from "./router.ts";
import { signedInContext } from "./signed-in.ts";

const userParams = z.object({ id: z.string().min(1).max(64) });
const userSessionParams = z.object({
  id: z.string().min(1).max(64),
  sessionId: z.string().min(1).max(64),
});

const listRoute = createRoute({
  method: "get",
  path: "/users",
  tags: ["Users"],
  summary: "List users",
  description:
    "Search (`q`: username, display name or email), filter by `roleId` (repeatable) and `status`, sort (`field` or `-field`), page with `limit` and `cursor`. Needs `users.manage`, or `tokens.all.read` to pick users on the all-tokens screen.",
  security: authenticated,
  request: { query: listUsersQuerySchema },
  responses: {
    200: jsonContent(userListSchema, "One page of users"),
    ...errorResponses(400, 401, 403),
  },
});

const createUserRoute = createRoute({
  method: "post",
  path: "/users",
  tags: ["Users"],
  summary: "Create a user with an initial password",
  description:
    "Needs `users.manage`, and a role granting nothing beyond the caller's own (`permissions_exceed_caller`). A weak password is refused with the rule stated; a username taken in any letter case answers 409 `username_taken`.",
  security: authenticated,
  request: { body: jsonBody(createUserInputSchema) },
  responses: { 201: jsonContent(userSchema, "Created"), ...errorResponses(400, 401, 403, 409) },
});

const getUserRoute = createRoute({
  method: "get",
  path: "/users/{id}",
  tags: ["Users"],
  summary: "One user with their active sessions",
  description: "Needs `users.manage`. The user's API tokens: `GET /api/v1/tokens?userId={id}`.",
  security: authenticated,
  request: { params: userParams },
  responses: { 200: jsonContent(userDetailSchema, "The user"), ...errorResponses(401, 403, 404) },
});

const updateUserRoute = createRoute({
  method: "patch",
  path: "/users/{id}",
  tags: ["Users"],
  summary: "Edit, change the role of, disable or enable a user, or set a new password",
  description:
    "Needs `users.manage`. Disabling ends the user's sessions and makes their API tokens stop working (they are kept; enabling restores them). Refused: changing one's own role (`cannot_change_own_role`), disabling oneself (`cannot_disable_self`), leaving no active Owner (409 `last_owner`), touching a user whose role exceeds the caller's (`permissions_exceed_caller`).",
  security: authenticated,
  request: { params: userParams, body: jsonBody(updateUserInputSchema) },
  responses: {
    200: jsonContent(userSchema, "The user as changed"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const endAllRoute = createRoute({
  method: "delete",
  path: "/users/{id}/sessions",
  tags: ["Users"],
  summary: "Sign a user out everywhere",
  description: "Ends every browser and command-line session of the user. Needs `users.manage`.",
  security: authenticated,
  request: { params: userParams },
  responses: {
    200: jsonContent(endedSessionsSchema, "Sessions ended"),
    ...errorResponses(401, 403, 404),
  },
});

const endOneRoute = createRoute({
  method: "delete",
  path: "/users/{id}/sessions/{sessionId}",
  tags: ["Users"],
  summary: "End one of a user's sessions",
  description: "Needs `users.manage`.",
  security: authenticated,
  request: { params: userSessionParams },
  responses: { 204: { description: "Ended" }, ...errorResponses(401, 403, 404) },
});

export const userRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const list = await listUsers(signedInContext(c), c.req.valid("query"));
    return c.json(list, 200);
  })
  .openapi(createUserRoute, async (c) => {
    const user = await createUser(signedInContext(c), c.req.valid("json"));
    return c.json(user, 201);
  })
  .openapi(getUserRoute, async (c) => {
    const user = await getUser(signedInContext(c), c.req.valid("param").id);
    return c.json(user, 200);
  })
  .openapi(updateUserRoute, async (c) => {
    const user = await updateUser(signedInContext(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json(user, 200);
  })
  .openapi(endAllRoute, async (c) => {
    const result = await endUserSessions(signedInContext(c), c.req.valid("param").id);
    if (result.endedCurrent) clearSessionCookies(c);
    return c.json({ ended: result.ended }, 200);
  })
  .openapi(endOneRoute, async (c) => {
    const { id, sessionId } = c.req.valid("param");
    const result = await endUserSessions(signedInContext(c), id, sessionId);
    if (result.endedCurrent) clearSessionCookies(c);
    return c.body(null, 204);
  });
