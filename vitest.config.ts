import { defineConfig } from "vitest/config";

// Integration tests run once per database engine: always on embedded PGlite, and on a real
// PostgreSQL too when DATABASE_URL is set. Unit tests run once, in the pglite project.
const engines = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export default defineConfig({
  test: {
    projects: engines.map((engine) => ({
      test: {
        name: engine,
        include:
          engine === "pglite"
            ? [
                "packages/*/src/**/*.test.ts",
                "apps/server/test/**/*.test.ts",
                "packages/*/test/**/*.test.ts",
              ]
            : ["apps/server/test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
        env: { KEYWARD_TEST_DB: engine },
        hookTimeout: 60_000,
        testTimeout: 30_000,
        pool: "forks",
      },
    })),
  },
});
