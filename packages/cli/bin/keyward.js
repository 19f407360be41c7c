#!/usr/bin/env node
// Runs the bundled CLI (`pnpm --filter @keyward/cli build`); from the repository, `pnpm keyward`
// runs the TypeScript source directly instead.
import("../dist/keyward.js");
