// `pnpm bench:web`: the admin token page in a real Chromium against 1,000,000 tokens.
//
// Prepares the shared benchmark database (apps/server/bench/bench-db.ts: seeded once, kept in
// keyward_bench), starts the built product on it, signs in as the seeded owner in Chromium and
// measures inside the page, from the browser's own clock:
//   - navigation to /admin/tokens → first token rows on screen, with an empty HTTP cache (first
//     visit) and with the cache a returning admin has (a fresh page load in the same profile);
//   - each filter change and page turn → the new rows on screen, split into the API request and
//     what the browser did after the answer arrived;
//   - the JavaScript the page needs before it renders, from the build.
// It prints medians and p95 next to the targets of issue #4. A script, not a test: it asserts
// nothing about time.
//
//   pnpm build && pnpm bench:web
//   BENCH_WEB_LOADS=20 BENCH_WEB_ROUNDS=10 pnpm bench:web    page loads per cache state / filter rounds
//   BENCH_WEB_PORT=18183 CHROMIUM_PATH=… pnpm bench:web
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "@playwright/test";
import pg from "pg";
import {
  BENCH_DB_NAME,
  BENCH_PEPPER,
  benchDatabaseUrl,
  prepareBenchDatabase,
} from "../../apps/server/bench/bench-db.ts";
import { OWNER, TOKEN_NAME_WORDS, TOKENS } from "../../apps/server/bench/seed.ts";

const root = new URL("../../", import.meta.url).pathname;
const webDist = join(root, "apps/web/dist");
const port = Number(process.env.BENCH_WEB_PORT ?? 18183);
const LOADS = Number(process.env.BENCH_WEB_LOADS ?? 20);
const ROUNDS = Number(process.env.BENCH_WEB_ROUNDS ?? 10);
const TOKENS_PATH = "/admin/tokens";
// Another build of the web app (a dist folder) to compare page loads with, interleaved, on a
// second server: the machine's load moves too much between runs to compare separate runs.
const BASELINE_DIST = process.env.BENCH_WEB_BASELINE_DIST;

const TARGET_FIRST_ROWS_MS = 450;
const TARGET_CHANGE_MS = 200;
const TARGET_BUNDLE_KB = 130;

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    NaN
  );
}
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : "–");
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");

function table(rows: string[][]) {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  rows.forEach((row, index) => {
    log(
      `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")}`,
    );
    if (index === 0) log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  });
}

// --- the JavaScript figure -----------------------------------------------------------------------

/** The chunks the token page needs before it renders: as apps/web/scripts/check-bundle-size.mjs. */
function tokenPageFiles(dist: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8")) as Record<
    string,
    { file: string; isEntry?: boolean; imports?: string[] }
  >;
  const files = new Set<string>();
  const collect = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(`/${chunk.file}`)) return;
    files.add(`/${chunk.file}`);
    for (const imported of chunk.imports ?? []) collect(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) collect(key);
  collect("src/app/routes/app-layout.tsx");
  collect("src/app/routes/admin-tokens.tsx");
  return [...files];
}

function bundleFigure(): { kb: number; report: string } {
  let report: string;
  try {
    report = execFileSync(
      process.execPath,
      [join(root, "apps/web/scripts/check-bundle-size.mjs")],
      {
        encoding: "utf8",
      },
    );
  } catch (error) {
    // Over budget exits 1; the figure is still printed.
    report = String((error as { stdout?: string }).stdout ?? "");
  }
  const total = /([\d.]+) kB gzip\s+total/.exec(report);
  return { kb: total ? Number(total[1]) : NaN, report };
}

// --- the database and the server -----------------------------------------------------------------

/** Another benchmark may be seeding keyward_bench right now: wait for it rather than seed twice. */
async function waitForSeedingElsewhere() {
  const admin = new pg.Client({
    connectionString: process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
  });
  await admin.connect();
  try {
    for (let waited = 0; ; waited += 10) {
      const exists = await admin.query("select 1 from pg_database where datname = $1", [
        BENCH_DB_NAME,
      ]);
      if (!exists.rowCount) return;
      const db = new pg.Client({ connectionString: benchDatabaseUrl() });
      await db.connect();
      try {
        const table = await db.query<{ t: string | null }>(
          "select to_regclass('bench_secrets')::text as t",
        );
        if (table.rows[0]?.t) {
          const count = await db.query<{ n: string }>("select count(*) as n from api_tokens");
          if (Number(count.rows[0]?.n) >= TOKENS) return;
        }
        const busy = await db.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
            where datname = $1 and pid <> pg_backend_pid() and state <> 'idle'`,
          [BENCH_DB_NAME],
        );
        if (Number(busy.rows[0]?.n) === 0) return; // nobody is seeding: prepareBenchDatabase will
      } finally {
        await db.end();
      }
      if (waited % 60 === 0)
        log(`  ${BENCH_DB_NAME} is being seeded by another process; waiting (${waited} s)…`);
      await sleep(10_000);
    }
  } finally {
    await admin.end();
  }
}

const servers: { child: ChildProcess; dataDir: string }[] = [];
let stopping = false;

/** The built product on the bench database, serving the web app in `dist`. */
async function startServer(serverPort: number, dist: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "keyward-bench-web-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "apps/server/src/main.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: benchDatabaseUrl(),
        KEYWARD_TOKEN_PEPPER: BENCH_PEPPER,
        KEYWARD_PORT: String(serverPort),
        KEYWARD_HOST: "127.0.0.1",
        KEYWARD_ADMIN_USERNAME: OWNER.username,
        KEYWARD_ADMIN_PASSWORD: OWNER.password,
        KEYWARD_LOG_LEVEL: "warn",
        KEYWARD_DATA_DIR: dataDir,
        KEYWARD_WEB_DIST: dist,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  servers.push({ child, dataDir });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`The server on port ${serverPort} exited early (${code ?? signal}).`);
      process.exit(1);
    }
  });
  const url = `http://127.0.0.1:${serverPort}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return url;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

async function stopServers() {
  stopping = true;
  for (const { child } of servers) child.kill("SIGTERM");
  await sleep(300);
  for (const { dataDir } of servers) rmSync(dataDir, { recursive: true, force: true });
}

// --- the browser ---------------------------------------------------------------------------------

/** As e2e/playwright.config.ts: CHROMIUM_PATH, else Playwright's own browser, else the system's. */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {}
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

async function launch(): Promise<{ browser: Browser; name: string }> {
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, name: `${executablePath ?? "Playwright's Chromium"} ${browser.version()}` };
}

// Runs in every page before the app. Times are the page's performance.now(): milliseconds since
// the navigation started. "Rows on screen" is the frame after the rows are in the DOM (the first
// animation frame after the MutationObserver saw them, then a task, by which time it is painted).
// A string, not a function: tsx would add helpers (keepNames) the page does not have.
const probe = `(() => {
  const state = { firstRowsDom: null, firstRows: null, change: null, done: null };
  const signature = () =>
    [...document.querySelectorAll("table.data-table tbody .token-name-link")]
      .map((row) => row.textContent)
      .join("|") + "#" + (document.querySelector(".pager-position")?.textContent ?? "");
  const settled = () => {
    const tbody = document.querySelector("table.data-table tbody");
    if (!tbody || tbody.classList.contains("tbody-stale")) return false;
    if (tbody.closest("table")?.getAttribute("aria-busy") === "true") return false;
    return tbody.querySelector(".token-name-link") !== null;
  };
  const afterPaint = (then) =>
    requestAnimationFrame(() => setTimeout(() => then(performance.now()), 0));
  const check = () => {
    if (state.firstRowsDom === null && settled()) {
      state.firstRowsDom = performance.now();
      afterPaint((t) => { state.firstRows = t; });
    }
    const change = state.change;
    if (change && change.t0 !== null && settled() && signature() !== change.before) {
      state.change = null;
      const dom = performance.now();
      const t0 = change.t0;
      afterPaint((painted) => change.resolve({ t0, dom, painted }));
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["class", "aria-busy"],
  });
  // The user's action: the first press, click, change or key after arm().
  const start = () => {
    if (state.change && state.change.t0 === null) state.change.t0 = performance.now();
  };
  for (const type of ["pointerdown", "click", "change", "keydown"]) {
    document.addEventListener(type, start, true);
  }
  window.__bench = {
    state,
    arm() {
      performance.clearResourceTimings();
      state.done = new Promise((resolve) => {
        state.change = { t0: null, before: signature(), resolve };
      });
    },
  };
})();`;

interface Timing {
  /** From the action (or navigation start) to the rows on screen. */
  total: number;
  /** The token list request: sent → answer fully received. */
  request: number;
  /** Its time to first byte (mostly the server). */
  ttfb: number;
  /** Answer received → rows on screen (parse, React, layout, paint). */
  afterAnswer: number;
}

async function tokenRequests(page: Page) {
  return page.evaluate(() =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((entry) => new URL(entry.name).pathname === "/api/v1/tokens")
      .map((entry) => ({
        start: entry.startTime,
        requestStart: entry.requestStart,
        responseStart: entry.responseStart,
        end: entry.responseEnd,
      })),
  );
}

interface LoadTiming extends Timing {
  html: number;
  entryJs: number;
  scripts: number;
  meStart: number;
  meEnd: number;
  tokensStart: number;
  tokensEnd: number;
  /** How long the page's main thread was running tasks, and script within them, from the load
   * to just after the rows (Chromium's TaskDuration / ScriptDuration: wall time of tasks, so they
   * grow with the machine's load too, but they say whether the wait was the page's own work). */
  busy: number;
  script: number;
}

async function measureLoad(page: Page, url: string, pageFiles: string[]): Promise<LoadTiming> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(
    () =>
      ((window as unknown as { __bench?: { state: { firstRows: number | null } } }).__bench?.state
        .firstRows ?? null) !== null,
    null,
    { timeout: 30_000, polling: 50 },
  );
  const figures = await page.evaluate((pageFiles) => {
    const bench = (window as unknown as { __bench: { state: { firstRows: number } } }).__bench;
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const tokens = resources.find((entry) => new URL(entry.name).pathname === "/api/v1/tokens");
    const scripts = resources.filter((entry) => new URL(entry.name).pathname.endsWith(".js"));
    const entry = document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.src;
    const me = resources.find((entry) => new URL(entry.name).pathname === "/api/v1/me");
    return {
      firstRows: bench.state.firstRows,
      html: nav.responseEnd,
      entryJs: scripts.find((script) => script.name === entry)?.responseEnd ?? Number.NaN,
      // Every chunk the token page needs before it renders (from the build's manifest).
      scripts: Math.max(
        0,
        ...scripts
          .filter((script) => pageFiles.includes(new URL(script.name).pathname))
          .map((script) => script.responseEnd),
      ),
      meStart: me?.startTime ?? Number.NaN,
      meEnd: me?.responseEnd ?? Number.NaN,
      tokens: tokens
        ? {
            start: tokens.startTime,
            requestStart: tokens.requestStart,
            responseStart: tokens.responseStart,
            end: tokens.responseEnd,
          }
        : null,
    };
  }, pageFiles);
  const metrics = Object.fromEntries(
    (await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value * 1000]),
  );
  await cdp.detach();
  const tokens = figures.tokens;
  return {
    busy: metrics.TaskDuration ?? Number.NaN,
    script: metrics.ScriptDuration ?? Number.NaN,
    total: figures.firstRows,
    html: figures.html,
    entryJs: figures.entryJs,
    scripts: figures.scripts,
    meStart: figures.meStart,
    meEnd: figures.meEnd,
    tokensStart: tokens?.start ?? Number.NaN,
    tokensEnd: tokens?.end ?? Number.NaN,
    request: tokens ? tokens.end - tokens.start : Number.NaN,
    ttfb: tokens ? tokens.responseStart - tokens.requestStart : Number.NaN,
    afterAnswer: tokens ? figures.firstRows - tokens.end : Number.NaN,
  };
}

async function waitSettled(page: Page) {
  await page.waitForFunction(
    () => {
      const tbody = document.querySelector("table.data-table tbody");
      return (
        !!tbody &&
        !tbody.classList.contains("tbody-stale") &&
        tbody.closest("table")?.getAttribute("aria-busy") !== "true" &&
        tbody.querySelector(".token-name-link") !== null
      );
    },
    null,
    { polling: 20 },
  );
}

/** Arms the probe, runs the action, and times it to the new rows on screen. */
async function measureChange(page: Page, action: () => Promise<void>): Promise<Timing> {
  await page.evaluate(() => (window as unknown as { __bench: { arm: () => void } }).__bench.arm());
  await action();
  const result = await page.evaluate(
    () =>
      (
        window as unknown as {
          __bench: { state: { done: Promise<{ t0: number; dom: number; painted: number }> } };
        }
      ).__bench.state.done,
  );
  const requests = (await tokenRequests(page)).filter((entry) => entry.start >= result.t0 - 1);
  const last = requests[requests.length - 1];
  await waitSettled(page);
  return {
    total: result.painted - result.t0,
    request: last ? last.end - last.start : Number.NaN,
    ttfb: last ? last.responseStart - last.requestStart : Number.NaN,
    // No request: the answer came from the query cache (a page seen moments ago).
    afterAnswer: last ? result.painted - last.end : result.painted - result.t0,
  };
}

async function resetFilters(page: Page) {
  await page.getByRole("button", { name: "Reset filters" }).first().click();
  await page.waitForFunction(() => !new URL(location.href).search.includes("="), null, {
    polling: 20,
  });
  await waitSettled(page);
}

const words = TOKEN_NAME_WORDS;

async function main() {
  log(
    `Keyward browser benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${load()} at start`,
  );

  if (
    !existsSync(join(webDist, "index.html")) ||
    !existsSync(join(webDist, ".vite/manifest.json"))
  ) {
    log("No built web app in apps/web/dist: building it (pnpm --filter @keyward/web build)…");
    execFileSync("pnpm", ["--filter", "@keyward/web", "build"], { cwd: root, stdio: "inherit" });
  }
  const bundle = bundleFigure();
  const pageFiles = tokenPageFiles(webDist);

  await waitForSeedingElsewhere();
  await prepareBenchDatabase((line) => log(line));
  const origin = await startServer(port, webDist);
  const baselineOrigin = BASELINE_DIST ? await startServer(port + 1, BASELINE_DIST) : null;
  const { browser, name } = await launch();
  log(`Server ${origin} on ${BENCH_DB_NAME}; browser ${name}`);
  if (baselineOrigin) log(`Baseline: ${BASELINE_DIST} served by ${baselineOrigin}`);

  const contextOptions = { baseURL: origin, viewport: { width: 1280, height: 800 } };
  try {
    // Sign in once through the sign-in page, as a person would; every context below reuses it.
    const returning = await browser.newContext(contextOptions);
    await returning.addInitScript({ content: probe });
    const signInPage = await returning.newPage();
    await signInPage.goto("/sign-in");
    await signInPage.getByLabel("Username").fill(OWNER.username);
    await signInPage.getByLabel("Password").fill(OWNER.password);
    await signInPage.getByRole("button", { name: "Sign in" }).click();
    await signInPage.getByRole("navigation", { name: /main/i }).waitFor();
    const session = await returning.storageState();
    // The returning admin's cache: the token page loaded once before.
    await signInPage.goto(TOKENS_PATH);
    await waitSettled(signInPage);
    await signInPage.close();

    // (a) Navigation → first rows: cold (new profile, empty cache) and warm, interleaved.
    log(
      `\nPage loads: ${LOADS} with an empty cache and ${LOADS} with a returning admin's cache, interleaved…`,
    );
    const loadsOf = async (
      serverOrigin: string,
      files: string[],
      returningContext: BrowserContext,
      cold: LoadTiming[],
      warm: LoadTiming[],
    ) => {
      const fresh = await browser.newContext({
        ...contextOptions,
        baseURL: serverOrigin,
        storageState: session,
      });
      await fresh.addInitScript({ content: probe });
      cold.push(await measureLoad(await fresh.newPage(), TOKENS_PATH, files));
      await fresh.close();
      const warmPage = await returningContext.newPage();
      warm.push(await measureLoad(warmPage, TOKENS_PATH, files));
      await warmPage.close();
    };
    const cold: LoadTiming[] = [];
    const warm: LoadTiming[] = [];
    const baseline = { cold: [] as LoadTiming[], warm: [] as LoadTiming[] };
    let baselineReturning: BrowserContext | null = null;
    const baselineFiles = BASELINE_DIST ? tokenPageFiles(BASELINE_DIST) : [];
    if (baselineOrigin) {
      // Cookies do not depend on the port: the same session signs in on both servers.
      baselineReturning = await browser.newContext({
        ...contextOptions,
        baseURL: baselineOrigin,
        storageState: session,
      });
      await baselineReturning.addInitScript({ content: probe });
      const page = await baselineReturning.newPage();
      await page.goto(TOKENS_PATH);
      await waitSettled(page);
      await page.close();
    }
    for (let i = 0; i < LOADS; i++) {
      await loadsOf(origin, pageFiles, returning, cold, warm);
      if (baselineOrigin && baselineReturning) {
        await loadsOf(
          baselineOrigin,
          baselineFiles,
          baselineReturning,
          baseline.cold,
          baseline.warm,
        );
      }
    }

    // (b) Filter changes and page turns, in a freshly loaded page per round (no query cache
    // from the previous round), each from the unfiltered first page.
    log(`Filter changes and page turns: ${ROUNDS} rounds…`);
    const changes = new Map<string, Timing[]>();
    const record = (label: string, timing: Timing) => {
      changes.set(label, [...(changes.get(label) ?? []), timing]);
    };
    for (let round = 0; round < ROUNDS; round++) {
      const page = await returning.newPage();
      await page.goto(TOKENS_PATH);
      await waitSettled(page);
      const filters = page.getByRole("region", { name: "Filters" });
      const nameBox = filters.getByLabel("Name");
      const term = `${words[round % words.length]}-${100 + ((round * 37) % 900)}`;

      await nameBox.fill(term);
      record("name search (Enter)", await measureChange(page, () => nameBox.press("Enter")));
      await resetFilters(page);

      // Typed: the search waits for a pause in typing before it asks (SEARCH_DEBOUNCE_MS, by design).
      const typed = `${words[(round + 3) % words.length]}-${200 + ((round * 53) % 700)}`;
      await nameBox.fill(typed.slice(0, -1));
      record(
        "name search (typed; includes the typing pause)",
        await measureChange(page, () => nameBox.press(typed.slice(-1))),
      );
      await resetFilters(page);

      const status = filters.getByLabel("Status");
      record(
        "status: disabled",
        await measureChange(page, async () => void (await status.selectOption("disabled"))),
      );
      await resetFilters(page);

      const expiry = filters.getByLabel("Expiry");
      for (const [value, label] of [
        ["expired", "expiry: expired"],
        ["never", "expiry: never expires"],
        ["within", "expiry: within 30 days"],
      ] as const) {
        record(
          label,
          await measureChange(page, async () => void (await expiry.selectOption(value))),
        );
        await resetFilters(page);
      }

      // Users: typing into the picker searches users (not timed); choosing one is the change.
      const users = page.getByRole("combobox", { name: "Users", exact: true });
      await users.click();
      await users.fill(`user${1000 + round * 4241}`);
      const option = page
        .getByRole("option", { name: new RegExp(`user${1000 + round * 4241}\\b`) })
        .first();
      await option.waitFor();
      record("user: one user", await measureChange(page, () => option.click()));
      await users.press("Escape"); // the multiple-choice list stays open for more picks
      await resetFilters(page);

      const pager = page.getByRole("navigation", { name: "Pagination" });
      const next = pager.getByRole("button", { name: "Next" });
      const previous = pager.getByRole("button", { name: "Previous" });
      record("page turn: next (page 2)", await measureChange(page, () => next.click()));
      record("page turn: next (page 3)", await measureChange(page, () => next.click()));
      record(
        "page turn: previous (page 2, seen before)",
        await measureChange(page, () => previous.click()),
      );
      await page.close();
    }

    // --- report ------------------------------------------------------------------------------------
    const loadEnd = load();
    log(`\nJavaScript before the token page renders (apps/web/scripts/check-bundle-size.mjs):`);
    log(bundle.report.trimEnd().replace(/^/gm, "  "));

    log(
      "\nNavigation to /admin/tokens → first rows on screen (25 rows, default view), ms since navigation start:",
    );
    const loadRows = [["cache", "median", "p95", "min", "max", "target"]];
    for (const [label, runs] of [
      ["empty (first visit)", cold],
      ["returning admin (warm)", warm],
    ] as const) {
      const totals = runs.map((run) => run.total);
      loadRows.push([
        label,
        ms(median(totals)),
        ms(percentile(totals, 95)),
        ms(Math.min(...totals)),
        ms(Math.max(...totals)),
        `${TARGET_FIRST_ROWS_MS} ms`,
      ]);
    }
    table(loadRows);
    log("\n  Where the time goes (medians, ms since navigation start):");
    const phaseRows = [
      [
        "cache",
        "HTML in",
        "entry JS in",
        "page JS in",
        "/me sent",
        "/me in",
        "/tokens sent",
        "/tokens in",
        "(ttfb)",
        "rows",
        "main thread busy",
        "of it script",
      ],
    ];
    for (const [label, runs] of [
      ["empty", cold],
      ["warm", warm],
    ] as const) {
      const m = (pick: (run: LoadTiming) => number) => ms(median(runs.map(pick)));
      phaseRows.push([
        label,
        m((r) => r.html),
        m((r) => r.entryJs),
        m((r) => r.scripts),
        m((r) => r.meStart),
        m((r) => r.meEnd),
        m((r) => r.tokensStart),
        m((r) => r.tokensEnd),
        m((r) => r.ttfb),
        m((r) => r.total),
        m((r) => r.busy),
        m((r) => r.script),
      ]);
    }
    table(phaseRows);
    log(
      "  main thread busy: time the page's main thread spent running tasks (parse, script, style,",
    );
    log("  layout, paint) until just after the rows; the rest of the wait is network and server.");

    if (baselineOrigin) {
      log(`\n  This build against the baseline (${BASELINE_DIST}), page loads interleaved:`);
      const rows = [
        ["build", "empty median", "empty p95", "warm median", "warm p95", "busy (empty / warm)"],
      ];
      for (const [label, runs] of [
        ["this build", { cold, warm }],
        ["baseline", baseline],
      ] as const) {
        const totals = (xs: LoadTiming[]) => xs.map((run) => run.total);
        rows.push([
          label,
          ms(median(totals(runs.cold))),
          ms(percentile(totals(runs.cold), 95)),
          ms(median(totals(runs.warm))),
          ms(percentile(totals(runs.warm), 95)),
          `${ms(median(runs.cold.map((run) => run.busy)))} / ${ms(median(runs.warm.map((run) => run.busy)))}`,
        ]);
      }
      table(rows);
    }

    log(`\nFilter changes and page turns → new rows on screen (${ROUNDS} rounds), ms:`);
    const changeRows = [["change", "median", "p95", "request", "(ttfb)", "after answer", "target"]];
    for (const [label, runs] of changes) {
      const pick = (f: (t: Timing) => number) => runs.map(f).filter(Number.isFinite);
      changeRows.push([
        label,
        ms(median(pick((t) => t.total))),
        ms(
          percentile(
            pick((t) => t.total),
            95,
          ),
        ),
        ms(median(pick((t) => t.request))),
        ms(median(pick((t) => t.ttfb))),
        ms(median(pick((t) => t.afterAnswer))),
        `${TARGET_CHANGE_MS} ms`,
      ]);
    }
    table(changeRows);
    log("  request: the /api/v1/tokens call, sent → answer in (ttfb: to its first byte);");
    log(
      "  after answer: answer in → rows painted; '–' request: served from the page's query cache.",
    );

    const warmMedian = median(warm.map((run) => run.total));
    const coldMedian = median(cold.map((run) => run.total));
    const worstChange = Math.max(
      ...[...changes]
        .filter(([label]) => !label.includes("typed"))
        .map(([, runs]) => median(runs.map((t) => t.total))),
    );
    log("\nTargets (issue #4):");
    table([
      ["target", "figure", "met"],
      [
        "first rows ≤ 450 ms (returning admin, median)",
        ms(warmMedian),
        warmMedian <= TARGET_FIRST_ROWS_MS ? "yes" : "no",
      ],
      [
        "first rows ≤ 450 ms (empty cache, median)",
        ms(coldMedian),
        coldMedian <= TARGET_FIRST_ROWS_MS ? "yes" : "no",
      ],
      [
        "each filter change / page turn ≤ 200 ms (worst median)",
        ms(worstChange),
        worstChange <= TARGET_CHANGE_MS ? "yes" : "no",
      ],
      [
        "JS before the token page < 130 kB gzip",
        `${bundle.kb.toFixed(1)} kB`,
        bundle.kb < TARGET_BUNDLE_KB ? "yes" : "no",
      ],
    ]);
    log(
      `\nLoad average ${loadEnd} at the end (1 / 5 / 15 min); ${cpus().length} CPUs shared by server, PostgreSQL and browser.`,
    );
  } finally {
    await browser.close();
    await stopServers();
  }
}

main().catch(async (error) => {
  console.error(error);
  await stopServers();
  process.exit(1);
});
