import { createRoute, z } from "@hono/zod-openapi";
import { tokenHistoryQuerySchema, tokenHistorySchema } from "@keyward/contracts/audit";
import {
  bulkTokensInputSchema,
  bulkTokensResultSchema,
  createTokenInputSchema,
  listTokensQuerySchema,
  tokenListSchema,
  tokenSchema,
  tokenWithSecretSchema,
  updateTokenInputSchema,
  verifyTokenInputSchema,
  verifyTokenResultSchema,
} from "@keyward/contracts/tokens";
import { bulkTokens } from "../services/tokens/bulk-tokens.ts";
import { createToken } from "../services/tokens/create-token.ts";
import { deleteToken } from "../services/tokens/delete-token.ts";
import { getToken } from "../services/tokens/get-token.ts";
import { listTokens } from "../services/tokens/list-tokens.ts";
import { regenerateToken } from "../services/tokens/regenerate-token.ts";
import { tokenHistory } from "../services/tokens/token-history.ts";
import { updateToken } from "../services/tokens/update-token.ts";
import { verifyToken } from "../services/tokens/verify-token.ts";
import {
  authenticated,
  createRouter,
  errorResponses,
  jsonBody,
  jsonContent,
  refuseInvalid,
} from "./router.ts";
import { serviceContext } from "./service-context.ts";

const tags = ["API tokens"];
const idParams = z.object({ id: z.string().min(1).max(64) });

const listRoute = createRoute({
  method: "get",
  path: "/tokens",
  tags,
  summary: "List API tokens",
  description:
    "Everyone's tokens for callers with `tokens.all.read`, otherwise the caller's own. Filterable, sortable (`sort=field` or `-field`), and paginated by cursor: pass `nextCursor` back as `cursor`. `total` is exact up to 1,000, an estimate above (`totalIsEstimate`). Filters: `name`, `userId` (repeatable), `createdBy`, `status`, `expiry` (`expired`, `never`, `within:<days>`), `expiresBefore`, `expiresAfter`, `lastUsed` (`never`, `within:<days>`, `idle:<days>`: not used in that many days, never-used tokens older than that included).",
  security: authenticated,
  request: { query: listTokensQuerySchema },
  responses: {
    200: jsonContent(tokenListSchema, "A page of tokens"),
    ...errorResponses(400, 401, 403, 503),
  },
});

const createTokenRoute = createRoute({
  method: "post",
  path: "/tokens",
  tags,
  summary: "Create an API token",
  description:
    "Answers the secret once; it can never be read again. `userId` (another owner) needs `tokens.all.manage`. `expiresAt: null` means never and is refused when a maximum lifetime is set (`expiry_required`); omitted means the default lifetime.",
  security: authenticated,
  request: { body: jsonBody(createTokenInputSchema) },
  responses: {
    201: jsonContent(tokenWithSecretSchema, "Created; the secret is shown only now"),
    ...errorResponses(400, 401, 403, 404, 409, 503),
  },
});

const bulkRoute = createRoute({
  method: "post",
  path: "/tokens/bulk",
  tags,
  summary: "Enable, disable or delete many tokens at once",
  description:
    "All or nothing: if any id is unknown or not the caller's to change, nothing changes. Up to 10,000 ids.",
  security: authenticated,
  request: { body: jsonBody(bulkTokensInputSchema) },
  responses: {
    200: jsonContent(bulkTokensResultSchema, "What changed"),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

const verifyRoute = createRoute({
  method: "post",
  path: "/tokens/verify",
  tags,
  summary: "Verify a token (for other services)",
  description:
    "Token in, answer out: `valid`, or the `reason` it is not (malformed, unknown, disabled, expired, owner_disabled, insufficient_scope, resource_not_allowed), with its id, owner and scopes. Needs no credentials of its own; failures are slowed per client address.",
  request: { body: jsonBody(verifyTokenInputSchema) },
  responses: {
    200: jsonContent(verifyTokenResultSchema, "The verdict"),
    ...errorResponses(400, 429, 503),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/tokens/{id}",
  tags,
  summary: "One API token (never its secret)",
  security: authenticated,
  request: { params: idParams },
  responses: {
    200: jsonContent(tokenSchema, "The token"),
    ...errorResponses(401, 403, 404, 503),
  },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/tokens/{id}",
  tags,
  summary: "Edit an API token",
  description: "Name, description, expiry, status, scopes, allow list. The owner cannot change.",
  security: authenticated,
  request: { params: idParams, body: jsonBody(updateTokenInputSchema) },
  responses: {
    200: jsonContent(tokenSchema, "The token as changed"),
    ...errorResponses(400, 401, 403, 404, 409, 503),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/tokens/{id}",
  tags,
  summary: "Delete an API token",
  security: authenticated,
  request: { params: idParams },
  responses: {
    204: { description: "Deleted; the token stops working at once" },
    ...errorResponses(401, 403, 404, 503),
  },
});

const regenerateRoute = createRoute({
  method: "post",
  path: "/tokens/{id}/regenerate",
  tags,
  summary: "Replace a token's secret",
  description: "The old secret stops working at once; the new one is shown only in this answer.",
  security: authenticated,
  responses: {
    200: jsonContent(tokenWithSecretSchema, "The token and its new secret"),
    ...errorResponses(401, 403, 404, 503),
  },
  request: { params: idParams },
});

const historyRoute = createRoute({
  method: "get",
  path: "/tokens/{id}/history",
  tags,
  summary: "What happened to an API token",
  description:
    "The latest audit events that name the token (created, edited with old and new values, enabled, disabled, regenerated), newest first, for anyone who may see the token: its owner learns who changed it and when. `ip`, `userAgent` and `requestId` are null unless the caller may read the audit log (`audit.read`; a token also needs `audit:read`). The audit log has the rest.",
  security: authenticated,
  request: { params: idParams, query: tokenHistoryQuerySchema },
  responses: {
    200: jsonContent(tokenHistorySchema, "The token's latest events"),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export const tokenRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    return c.json(await listTokens(serviceContext(c), c.req.valid("query")), 200);
  })
  .openapi(createTokenRoute, async (c) => {
    return c.json(await createToken(serviceContext(c), c.req.valid("json")), 201);
  })
  .openapi(bulkRoute, async (c) =>
    c.json(await bulkTokens(serviceContext(c), c.req.valid("json")), 200),
  )
  .openapi(
    verifyRoute,
    async (c) => {
      return c.json(await verifyToken(serviceContext(c), c.req.valid("json")), 200);
    },
    // Any token text gets a verdict, not an error: one with U+0000 or a lone surrogate in it is
    // `malformed` (refused by its shape, it never reaches the database; so are scope and resource).
    (result) => refuseInvalid(result),
  )
  .openapi(getRoute, async (c) => {
    return c.json(await getToken(serviceContext(c), c.req.valid("param").id), 200);
  })
  .openapi(updateRoute, async (c) =>
    c.json(await updateToken(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(deleteRoute, async (c) => {
    await deleteToken(serviceContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(regenerateRoute, async (c) => {
    return c.json(await regenerateToken(serviceContext(c), c.req.valid("param").id), 200);
  })
  .openapi(historyRoute, async (c) =>
    c.json(
      await tokenHistory(serviceContext(c), c.req.valid("param").id, c.req.valid("query")),
      200,
    ),
  );
