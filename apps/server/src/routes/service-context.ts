import type { Context } from "hono";
import type { AppEnv, ServiceContext } from "../context.ts";

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  return { deps: c.get("deps"), principal: c.get("principal"), meta: c.get("meta") };
}
