import type { Migration, MigrationProvider } from "kysely";
import * as foundation from "./2026-11-24T0400-foundation.ts";
import * as apiTokens from "./2026-11-24T0500-api-tokens.ts";
import * as tokenUsage from "./2026-11-24T0600-token-usage.ts";
import * as signInFailures from "./2026-11-24T0700-sign-in-failures.ts";
import * as coveringSortIndexes from "./2026-11-24T0800-covering-sort-indexes.ts";

/**
 * Migrations are listed explicitly (not read from disk) so they work the same under tsx, a bundle
 * or a test runner. Names sort by time; Kysely applies them in that order.
 */
const migrations: Record<string, Migration> = {
  "2026-11-24T0400-foundation": foundation,
  "2026-11-24T0500-api-tokens": apiTokens,
  "2026-11-24T0600-token-usage": tokenUsage,
  "2026-11-24T0700-sign-in-failures": signInFailures,
  "2026-11-24T0800-covering-sort-indexes": coveringSortIndexes,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export const migrationNames = Object.keys(migrations).sort();
