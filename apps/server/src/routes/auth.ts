import { createRoute } from "@hono/zod-openapi";
import {
  DEVICE_COOKIE,
  loginInputSchema,
  loginResultSchema,
  meSchema,
} from "@keyward/contracts/auth";
import { getCookie } from "hono/cookie";
import {
  clearSessionCookies,
  requirePrincipal,
  setDeviceCookie,
  setSessionCookies,
} from "../auth/middleware.ts";
import { lookupSession } from "../auth/sessions.ts";
import { signIn } from "../services/auth/sign-in.ts";
import { signOut } from "../services/auth/sign-out.ts";
import { toMe } from "../services/users/get-me.ts";
import { authenticated, createRouter, errorResponses, jsonBody, jsonContent } from "./router.ts";
import { serviceContext } from "./service-context.ts";

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Authentication"],
  summary: "Sign in with username and password",
  description:
    "Starts a browser session: sets the HttpOnly `kw_session` cookie and the readable `kw_csrf` cookie, whose value must be sent back in the `x-csrf-token` header on every write. Also sets `kw_device`, sent only to this route: failed attempts at a username slow further attempts from any other client, but not from a browser that has signed in as that user before.",
  request: { body: jsonBody(loginInputSchema) },
  responses: {
    200: jsonContent(loginResultSchema, "Signed in"),
    ...errorResponses(400, 401, 429, 503),
  },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["Authentication"],
  summary: "End the current session",
  security: authenticated,
  responses: {
    204: { description: "Signed out (also when there was no session)" },
    ...errorResponses(403),
  },
});

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["Authentication"],
  summary: "The signed-in user, their role and its permissions",
  security: authenticated,
  responses: { 200: jsonContent(meSchema, "The caller"), ...errorResponses(401) },
});

export const authRoutes = createRouter()
  .openapi(loginRoute, async (c) => {
    const ctx = serviceContext(c);
    const { session, deviceCookie } = await signIn(
      ctx,
      c.req.valid("json"),
      getCookie(c, DEVICE_COOKIE),
    );
    setSessionCookies(c, session);
    setDeviceCookie(c, deviceCookie);
    const found = await lookupSession(ctx.deps.db.db, session.secret);
    if (found.status !== "valid") throw new Error("A session just created could not be read back");
    return c.json({ user: toMe(found.principal), expiresAt: session.expiresAt.toISOString() }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    await signOut(serviceContext(c));
    clearSessionCookies(c);
    return c.body(null, 204);
  })
  .openapi(meRoute, (c) => c.json(toMe(requirePrincipal(c)), 200));
