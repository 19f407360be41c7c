// `pnpm db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in
// KEYWARD_DATA_DIR when no URL is set.
import { createDb } from "./client.ts";
import { migrateToLatest } from "./migrate.ts";

const handle = await createDb({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.KEYWARD_DATA_DIR || ".keyward",
});
try {
  const { applied } = await migrateToLatest(handle.db);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) on ${handle.engine}: ${applied.join(", ")}`
      : `Database (${handle.engine}) is up to date.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
