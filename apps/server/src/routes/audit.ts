import { createRoute, z } from "@hono/zod-openapi";
import {
  auditListSchema,
  exportAuditQuerySchema,
  listAuditQuerySchema,
  MAX_AUDIT_EXPORT_ROWS,
} from "@keyward/contracts/audit";
import { exportAudit } from "../services/audit/export-audit.ts";
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

const exportAuditRoute = createRoute({
  method: "get",
  path: "/audit/export",
  tags: ["Audit"],
  summary: "The audit log as CSV",
  description: `Needs \`audit.read\`. Every event the list's filters select, newest first, as a CSV download (UTF-8 with a byte-order mark, a header row, \`details\` as JSON, values a spreadsheet would run as a formula prefixed with \`'\`). At most ${MAX_AUDIT_EXPORT_ROWS.toLocaleString("en")} events: a larger export answers 400 \`export_too_large\`. The export is itself audited (\`audit.export\`).`,
  security: authenticated,
  request: { query: exportAuditQuerySchema },
  responses: {
    200: {
      description: "The events as CSV",
      headers: z.object({
        "X-Keyward-Rows": z.string().openapi({ description: "How many events the file holds" }),
      }),
      content: { "text/csv": { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403, 503),
  },
});

export const auditRoutes = createRouter()
  .openapi(listAuditRoute, async (c) => {
    return c.json(await listAudit(serviceContext(c), c.req.valid("query")), 200);
  })
  .openapi(exportAuditRoute, async (c) => {
    const { rows, csv } = await exportAudit(serviceContext(c), c.req.valid("query"));
    const day = new Date().toISOString().slice(0, 10);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keyward-audit-${day}.csv"`,
      "X-Keyward-Rows": String(rows),
    });
  });
