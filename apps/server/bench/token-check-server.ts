// The token layer on its own: the bare endpoint plus Keyward's real token check (the same cache,
// database reads and last-used recording the app uses), and none of the app's request pipeline.
// `pnpm bench` measures it beside the full app to show which part of a token request costs what.
import { serve } from "@hono/node-server";
import { createDb } from "@keyward/db/client";
import { type Context, Hono } from "hono";
import type { Principal } from "../src/auth/principal.ts";
import { authenticateBearer } from "../src/auth/token-auth.ts";
import { createDeps } from "../src/deps.ts";
import { loadConfig } from "../src/env.ts";
import { createLogger } from "../src/lib/logger.ts";
import { ServiceError } from "../src/services/errors.ts";

const config = loadConfig();
const db = await createDb({ databaseUrl: config.databaseUrl });
const deps = createDeps({
  db,
  config,
  logger: createLogger("warn"),
  serverSecret: Buffer.from(config.tokenPepper ?? ""),
});

const meta = { ip: "127.0.0.1", userAgent: null };
const answer = (c: Context, caller: Principal | ServiceError | undefined): Response =>
  !caller || caller instanceof ServiceError ? c.json({ ok: false }, 401) : c.json({ ok: true });
// Like the app's middleware, a warm token is answered without awaiting anything.
const app = new Hono().get("/check", (c): Response | Promise<Response> => {
  const header = c.req.header("authorization");
  const found = header ? authenticateBearer(deps, header, meta) : undefined;
  if (found instanceof Promise) return found.then((caller): Response => answer(c, caller));
  return answer(c, found);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 18183), hostname: "127.0.0.1" });
process.on("SIGTERM", () => void deps.stop().finally(() => process.exit(0)));
