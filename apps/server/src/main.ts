import { createDb } from "@keyward/db/client";
import { migrateToLatest } from "@keyward/db/migrate";
import { createApp } from "./app.ts";
import { loadServerSecret } from "./auth/server-secret.ts";
import { createDeps } from "./deps.ts";
import { ConfigError, loadConfig } from "./env.ts";
import { serveApp } from "./http/api-headers.ts";
import { createLogger } from "./lib/logger.ts";
import { bootstrapOwner } from "./services/users/bootstrap-owner.ts";

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { secret: serverSecret, source } = loadServerSecret({
    pepper: config.tokenPepper,
    dataDir: config.dataDir,
  });
  if (source === "generated")
    logger.info({ dataDir: config.dataDir }, "generated a server secret in the data directory");
  if (source !== "env" && config.databaseUrl) {
    logger.warn(
      "KEYWARD_TOKEN_PEPPER is not set: every server process sharing this database must share the data directory",
    );
  }

  const db = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info(
    { engine: db.engine, dataDir: db.engine === "pglite" ? config.dataDir : undefined },
    "database opened",
  );
  const { applied } = await migrateToLatest(db.db);
  if (applied.length) logger.info({ applied }, "migrations applied");

  const owner = await bootstrapOwner(db.db, {
    username: config.adminUsername,
    password: config.adminPassword,
  });
  if (owner.created && owner.generatedPassword) {
    // Printed once, straight to the console (never to the structured log), and never stored.
    console.log(
      [
        "",
        "  ┌──────────────────────────────────────────────────────────────┐",
        "  │ Keyward created the first Owner account.                     │",
        `  │   username: ${owner.username.padEnd(49)}│`,
        `  │   password: ${owner.generatedPassword.padEnd(49)}│`,
        "  │ This password is shown only now. Sign in and change it.      │",
        "  └──────────────────────────────────────────────────────────────┘",
        "",
      ].join("\n"),
    );
  } else if (owner.created) {
    logger.info(
      { username: owner.username },
      "created the first Owner from KEYWARD_ADMIN_USERNAME/PASSWORD",
    );
  } else if (config.adminPassword) {
    // Say so rather than leave someone trying a password that was never set (say, after
    // `pnpm seed:demo` filled a new database before the first start).
    logger.warn(
      { existingOwner: owner.username },
      "KEYWARD_ADMIN_PASSWORD is ignored: it only sets up the first Owner, and an Owner exists already",
    );
  }

  const deps = createDeps({ db, config, logger, serverSecret });
  const app = createApp(deps);
  const server = serveApp(app, { port: config.port, hostname: config.host }, (info) => {
    logger.info(
      { port: info.port, host: config.host },
      `Keyward is listening on http://localhost:${info.port}`,
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close(() => {
      // Write buffered token last-used times and drop the LISTEN connection before the pool.
      deps
        .stop()
        .catch((error) => logger.warn({ err: error }, "could not flush on shutdown"))
        .finally(() => db.close().finally(() => process.exit(0)));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error("Keyward failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
