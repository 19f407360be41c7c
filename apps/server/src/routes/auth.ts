import { createRoute } from "@hono/zod-openapi";
import {
  DEVICE_COOKIE,
  loginInputSchema,
  loginResultSchema,
  meSchema,
} from "@keyward/contracts/auth";
import { changedOwnPasswordSchema, changeOwnPasswordInputSchema } from "@keyward/contracts/users";
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
import { changeOwnPassword } from "../services/users/change-own-password.ts";
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

const changePasswordRoute = createRoute({
  method: "post",
  path: "/me/password",
  tags: ["Authentication"],
  summary: "Change one's own password",
  description:
    "From a signed-in browser session only (not an API token or a command-line session), with the current password. A wrong current password answers 400 `wrong_password` and counts against the username like a failed sign-in (then 429). The change signs out the caller's other sessions and keeps this one.",
  security: authenticated,
  request: { body: jsonBody(changeOwnPasswordInputSchema) },
  responses: {
    200: jsonContent(changedOwnPasswordSchema, "Changed"),
    ...errorResponses(400, 401, 403, 429),
  },
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
  .openapi(meRoute, (c) => c.json(toMe(requirePrincipal(c)), 200))
  .openapi(changePasswordRoute, async (c) =>
    c.json(await changeOwnPassword(serviceContext(c), c.req.valid("json")), 200),
  );
