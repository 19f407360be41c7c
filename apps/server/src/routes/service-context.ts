import type { Context } from "hono";
import type { AppEnv, ServiceContext } from "../context.ts";

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  return { deps: c.var.deps, principal: c.var.principal, meta: c.var.meta };
}
