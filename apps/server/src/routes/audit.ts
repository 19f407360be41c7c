import { createRoute } from "@hono/zod-openapi";
import { auditListSchema, listAuditQuerySchema } from "@keyward/contracts/audit";
import { listAudit } from "../services/audit/list-audit.ts";
import { authenticated, createRouter, errorResponses, jsonContent } from "./router.ts";
import { serviceContext } from "./service-context.ts";

const listAuditRoute = createRoute({
  method: "get",
  path: "/audit",
  tags: ["Audit"],
  summary: "The audit log, newest first",
  description: "Needs `audit.read`. Filter by action, actor, target and time; paginated by cursor.",
  security: authenticated,
  request: { query: listAuditQuerySchema },
  responses: {
    200: jsonContent(auditListSchema, "A page of audit events"),
    ...errorResponses(400, 401, 403, 503),
  },
});

export const auditRoutes = createRouter().openapi(listAuditRoute, async (c) => {
  return c.json(await listAudit(serviceContext(c), c.req.valid("query")), 200);
});
