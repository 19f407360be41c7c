// Starts the built product for the end-to-end run, on a database made for this run: a fresh
// PostgreSQL database when DATABASE_URL is set, else a fresh embedded one in a temp directory.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { OWNER } from "./constants.ts";

const root = new URL("../../", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "keyward-e2e-"));
let databaseUrl: string | undefined;
let dropDatabase = async () => {};

if (process.env.DATABASE_URL) {
  const admin = new URL(process.env.DATABASE_URL);
  const name = `keyward_e2e_${randomBytes(5).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  // Databases left by runs that were killed before they could clean up: a live run's server
  // always holds a connection (its LISTEN client), so only abandoned ones have none.
  const stale = await client.query<{ datname: string }>(
    `select datname from pg_database d where datname like 'keyward\\_e2e\\_%'
       and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
  );
  for (const { datname } of stale.rows) {
    await client.query(`drop database if exists "${datname}"`).catch(() => {});
  }
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}

const server = spawn(process.execPath, ["--import", "tsx", join(root, "apps/server/src/main.ts")], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "" }),
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_PORT: process.env.E2E_PORT ?? "18080",
    KEYWARD_HOST: "127.0.0.1",
    KEYWARD_ADMIN_USERNAME: OWNER.username,
    KEYWARD_ADMIN_PASSWORD: OWNER.password,
    KEYWARD_LOG_LEVEL: "warn",
    // Lets a test stand in for clients elsewhere by naming them in X-Forwarded-For; the browser
    // sends none, so its requests still count as the peer's (127.0.0.1).
    KEYWARD_TRUST_PROXY: "1",
  },
});

let cleaning = false;
async function cleanUp(code: number) {
  if (cleaning) return;
  cleaning = true;
  server.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  await dropDatabase().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
server.on("exit", (code) => cleanUp(code ?? 1));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => cleanUp(0));
