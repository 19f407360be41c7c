// `pnpm reset-password <username>`: gives a user a new generated password, printed once, from
// the server's own machine (DATABASE_URL, or the embedded database in KEYWARD_DATA_DIR, which the
// server must not be running on). For when nobody can sign in to reset it in the app: the only
// Owner lost the password printed at first start. Ends the user's sessions and is audited.
import { createDb } from "@keyward/db/client";
import { migrateToLatest } from "@keyward/db/migrate";
import { loadConfig } from "../src/env.ts";
import { resetPasswordOffline } from "../src/services/users/reset-password-offline.ts";

async function main() {
  const username = process.argv[2];
  if (!username || process.argv.length > 3) {
    console.error("Usage: pnpm reset-password <username>");
    process.exit(2);
  }
  const config = loadConfig();
  const handle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const reset = await resetPasswordOffline(handle.db, username);
    console.log(
      [
        `New password for ${reset.username} (shown only now; only its hash is stored):`,
        "",
        `  ${reset.password}`,
        "",
        `${reset.sessionsEnded} session(s) ended. Sign in with it, then choose your own under Profile → Change password.`,
        ...(reset.disabled
          ? [`${reset.username} is disabled: an administrator must enable the account first.`]
          : []),
      ].join("\n"),
    );
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
