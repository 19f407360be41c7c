// The token layer on its own: the bare endpoint plus Keyward's real token check (the same cache,
// database reads and last-used recording the app uses), and none of the app's request pipeline.
// `pnpm bench` measures it beside the full app to show which part of a token request costs what.
import { serve } from "@hono/node-server";
import { createDb } from "@keyward/db/client";
import { Hono } from "hono";
import { checkTokenSecret } from "../src/auth/token-auth.ts";
import { createDeps } from "../src/deps.ts";
import { loadConfig } from "../src/env.ts";
import { createLogger } from "../src/lib/logger.ts";

const config = loadConfig();
const db = await createDb({ databaseUrl: config.databaseUrl });
const deps = createDeps({
  db,
  config,
  logger: createLogger("warn"),
  serverSecret: Buffer.from(config.tokenPepper ?? ""),
});

const app = new Hono().get("/check", async (c) => {
  const presented = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const check = presented ? await checkTokenSecret(deps, presented) : undefined;
  if (!check?.ok) return c.json({ ok: false }, 401);
  deps.lastUsed.record(check.record.id, "127.0.0.1", null);
  return c.json({ ok: true });
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 18183), hostname: "127.0.0.1" });
process.on("SIGTERM", () => void deps.stop().finally(() => process.exit(0)));
