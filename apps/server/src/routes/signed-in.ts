import type { Context } from "hono";
import { requirePrincipal } from "../auth/middleware.ts";
import type { AppEnv, ServiceContext } from "../context.ts";
import { serviceContext } from "./service-context.ts";

/**
 * The service context of a route that needs a caller. Checking here first lets the 401 say
 * "your session ended" rather than only "sign in".
 */
export function signedInContext(c: Context<AppEnv>): ServiceContext {
  requirePrincipal(c);
  return serviceContext(c);
}
