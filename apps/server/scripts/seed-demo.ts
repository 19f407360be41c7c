// `pnpm seed:demo`: fills the configured database (DATABASE_URL, or the embedded one in
// KEYWARD_DATA_DIR, which the server must not be running on) with a demo organisation: three dozen
// users across every built-in role and their API tokens, with the audit history those left.
// Safe to run twice: existing usernames are left alone, and only new users get tokens.
import { builtInRoles } from "@keyward/contracts/permissions";
import { createDb } from "@keyward/db/client";
import { migrateToLatest } from "@keyward/db/migrate";
import { loadServerSecret } from "../src/auth/server-secret.ts";
import { loadConfig } from "../src/env.ts";
import { DEMO_PASSWORD, seedDemoOrganisation } from "../src/services/demo/demo-organisation.ts";
import { effectivePolicy, readStoredPolicy } from "../src/services/settings/policy.ts";

async function main() {
  const config = loadConfig();
  const handle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    // The server's own key, so the demo tokens are real ones (their secrets are not kept).
    const { secret: serverSecret } = loadServerSecret({
      pepper: config.tokenPepper,
      dataDir: config.dataDir,
    });
    const policy = effectivePolicy(config, await readStoredPolicy(handle.db));
    const seeded = await seedDemoOrganisation(handle.db, {
      serverSecret,
      ...(policy.maxTokenLifetimeMs !== undefined
        ? { maxTokenLifetimeMs: policy.maxTokenLifetimeMs }
        : {}),
    });
    const owners = await handle.db
      .selectFrom("users")
      .select("username")
      .where("role_id", "=", builtInRoles.owner.id)
      .where("status", "=", "active")
      .orderBy("username")
      .execute();
    const lines = [
      `Seeded ${seeded.usersAdded} demo users (${seeded.usersExisting} already there) and ${seeded.tokensAdded} API tokens on ${handle.engine}.`,
      `Each demo user signs in with the password "${DEMO_PASSWORD}", e.g. ada.lovelace (Member), katherine.johnson (Admin), margaret.hamilton (Auditor), dennis.ritchie (Guest).`,
      `Owners: ${owners.map((o) => o.username).join(", ")}.`,
    ];
    if (seeded.tryToken) {
      lines.push(
        "",
        `Try the API as ${seeded.tryToken.username} with the demo token "${seeded.tryToken.name}" (shown only now; only its hash is stored):`,
        "",
        `  curl -H "Authorization: Bearer ${seeded.tryToken.secret}" http://localhost:${config.port}/api/v1/me`,
      );
    }
    console.log(lines.join("\n"));
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
