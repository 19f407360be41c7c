import { createRoute, z } from "@hono/zod-openapi";
import {
  createRoleInputSchema,
  roleListSchema,
  roleSchema,
  updateRoleInputSchema,
} from "@keyward/contracts/roles";
import { createRole } from "../services/roles/create-role.ts";
import { deleteRole } from "../services/roles/delete-role.ts";
import { getRole, listRoles } from "../services/roles/list-roles.ts";
import { updateRole } from "../services/roles/update-role.ts";
import { authenticated, createRouter, errorResponses, jsonBody, jsonContent } from "./router.ts";
import { signedInContext } from "./signed-in.ts";

const roleParams = z.object({ id: z.string().min(1).max(64) });

const listRoute = createRoute({
  method: "get",
  path: "/roles",
  tags: ["Roles"],
  summary: "List roles with their permissions and how many users hold each",
  description: "Needs `roles.manage`, or `users.manage` (to choose a role for a user).",
  security: authenticated,
  responses: {
    200: jsonContent(roleListSchema, "Built-in roles first, then custom roles by name"),
    ...errorResponses(401, 403),
  },
});

const getRoleRoute = createRoute({
  method: "get",
  path: "/roles/{id}",
  tags: ["Roles"],
  summary: "One role",
  security: authenticated,
  request: { params: roleParams },
  responses: { 200: jsonContent(roleSchema, "The role"), ...errorResponses(401, 403, 404) },
});

const createRoleRoute = createRoute({
  method: "post",
  path: "/roles",
  tags: ["Roles"],
  summary: "Create a custom role",
  description:
    "Needs `roles.manage`; only permissions the caller holds may be granted (`permissions_exceed_caller`). Names are unique ignoring case (409 `role_name_taken`).",
  security: authenticated,
  request: { body: jsonBody(createRoleInputSchema) },
  responses: { 201: jsonContent(roleSchema, "Created"), ...errorResponses(400, 401, 403, 409) },
});

const updateRoleRoute = createRoute({
  method: "patch",
  path: "/roles/{id}",
  tags: ["Roles"],
  summary: "Rename a role or change its description or permissions",
  description:
    "Needs `roles.manage`. The Owner role is fixed and built-in roles keep their names (403 `builtin_role`). Changes apply to every holder from their next request.",
  security: authenticated,
  request: { params: roleParams, body: jsonBody(updateRoleInputSchema) },
  responses: {
    200: jsonContent(roleSchema, "The role as changed"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const deleteRoleRoute = createRoute({
  method: "delete",
  path: "/roles/{id}",
  tags: ["Roles"],
  summary: "Delete a custom role nobody holds",
  description:
    "Built-in roles cannot be deleted (403 `builtin_role`); a role in use answers 409 `role_in_use`.",
  security: authenticated,
  request: { params: roleParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 409) },
});

export const roleRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const items = await listRoles(signedInContext(c));
    return c.json({ items }, 200);
  })
  .openapi(getRoleRoute, async (c) => {
    const role = await getRole(signedInContext(c), c.req.valid("param").id);
    return c.json(role, 200);
  })
  .openapi(createRoleRoute, async (c) => {
    const role = await createRole(signedInContext(c), c.req.valid("json"));
    return c.json(role, 201);
  })
  .openapi(updateRoleRoute, async (c) => {
    const role = await updateRole(signedInContext(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json(role, 200);
  })
  .openapi(deleteRoleRoute, async (c) => {
    await deleteRole(signedInContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
