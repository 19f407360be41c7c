// The size budget for the token page: how much JavaScript (gzipped) the browser must download
// before Administration → API tokens can render. That is the entry chunk, the app layout route
// and the token route, each with the chunks they import statically; lazily loaded dialogs and
// other pages are not counted. Reads the Vite manifest in dist/, so run `vite build` first.
//
//   node scripts/check-bundle-size.mjs [--budget <kB>]   (kB = 1000 bytes, as Vite prints)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

// The product target (issue #4): under 130 kB. Measured 119.7 kB after the router moved from
// createBrowserRouter (the whole data router) to declarative mode; react-dom and react alone are
// ~71 kB of that.
const BUDGET_KB = 130;
// The token route must have a chunk of its own. The layout route may instead be grouped into a
// shared chunk (vite.config.ts puts it in "shell"), which the entry then imports statically.
const ROUTES = [
  { src: "src/app/routes/app-layout.tsx", required: false },
  { src: "src/app/routes/admin-tokens.tsx", required: true },
];

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const budgetArg = process.argv.indexOf("--budget");
const budget = budgetArg > -1 ? Number(process.argv[budgetArg + 1]) : BUDGET_KB;

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
} catch {
  console.error("No dist/.vite/manifest.json: run `pnpm --filter @keyward/web build` first.");
  process.exit(2);
}

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length !== 1) {
  console.error(`Expected one entry chunk in the manifest, found ${entries.length}.`);
  process.exit(2);
}

const needed = new Set();
function collect(key) {
  if (needed.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`The manifest has no chunk "${key}"`);
  needed.add(key);
  for (const imported of chunk.imports ?? []) collect(imported);
}
collect(entries[0][0]);
for (const route of ROUTES) {
  if (manifest[route.src]) {
    collect(route.src);
  } else if (route.required) {
    console.error(`The manifest has no chunk for ${route.src}; was the route renamed?`);
    process.exit(2);
  }
}

const rows = [...needed]
  .map((key) => manifest[key].file)
  .filter((file) => file.endsWith(".js"))
  .map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  })
  .sort((a, b) => b.gzip - a.gzip);

const kb = (n) => (n / 1000).toFixed(2).padStart(8);
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
const totalRaw = rows.reduce((sum, row) => sum + row.raw, 0);
console.log("JavaScript needed before the admin token page renders:");
for (const row of rows) console.log(`${kb(row.raw)} kB raw ${kb(row.gzip)} kB gzip  ${row.file}`);
console.log(`${kb(totalRaw)} kB raw ${kb(total)} kB gzip  total in ${rows.length} files`);
console.log(`Budget: ${budget} kB gzip.`);
if (total > budget * 1000) {
  console.error(`Over budget by ${((total - budget * 1000) / 1000).toFixed(2)} kB.`);
  process.exit(1);
}
console.log(`Within budget (${((budget * 1000 - total) / 1000).toFixed(2)} kB to spare).`);
