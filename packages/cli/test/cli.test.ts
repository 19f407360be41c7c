// Runs the real `keyward` command line as a child process against a real server process on a
// fresh database, as a person or a CI job would.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, type TestDb } from "@keyward/db/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;
const OWNER = { username: "cli-owner", password: "cli-owner-password-2026" };
const port =
  19000 + Math.floor(Math.random() * 900) + (process.env.KEYWARD_TEST_DB === "postgres" ? 0 : 900);
const url = `http://127.0.0.1:${port}`;

let server: ChildProcess;
let testDb: TestDb | undefined;
let dataDir: string;
let configDir: string;
let cliToken: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function keyward(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(root, "packages/cli/src/main.ts"), ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          KEYWARD_CONFIG_DIR: configDir,
          KEYWARD_URL: "",
          KEYWARD_TOKEN: "",
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function api(
  path: string,
  init: { method?: string; token?: string; body?: unknown; cookie?: string; csrf?: string } = {},
) {
  return fetch(`${url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.csrf ? { "x-csrf-token": init.csrf } : {}),
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface StandIn {
  url: string;
  /** Every request that arrived, in order. */
  requests: StandInRequest[];
  close(): Promise<void>;
}

/** A local HTTP server to point the CLI at instead of the real one: it records what arrives. */
async function startStandIn(
  respond: (request: StandInRequest) => Promise<{ status: number; body: string }>,
): Promise<StandIn> {
  const requests: StandInRequest[] = [];
  const standIn = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(request);
    const answer = await respond(request);
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(answer.body);
  });
  await new Promise<void>((ready) => standIn.listen(0, "127.0.0.1", ready));
  return {
    url: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((closed) => standIn.close(() => closed())),
  };
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message, requestId: "req_standin" } });
}

/** What a person does on /cli-auth: sign in with the browser session, ask for a CLI token. */
async function issueCliToken(): Promise<string> {
  const login = await api("/api/v1/auth/login", { method: "POST", body: OWNER });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const csrf = decodeURIComponent(/kw_csrf=([^;]+)/.exec(cookie)?.[1] ?? "");
  const res = await api("/api/v1/auth/cli-token", { method: "POST", cookie, csrf });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "keyward-cli-data-"));
  configDir = mkdtempSync(join(tmpdir(), "keyward-cli-config-"));
  if (process.env.KEYWARD_TEST_DB === "postgres") testDb = await createTestDb();
  server = spawn(process.execPath, ["--import", "tsx", join(root, "apps/server/src/main.ts")], {
    cwd: root,
    stdio: "ignore",
    env: {
      ...process.env,
      DATABASE_URL: testDb?.url ?? "",
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_PORT: String(port),
      KEYWARD_HOST: "127.0.0.1",
      KEYWARD_ADMIN_USERNAME: OWNER.username,
      KEYWARD_ADMIN_PASSWORD: OWNER.password,
      KEYWARD_MAX_TOKEN_LIFETIME: "90d",
      KEYWARD_LOG_LEVEL: "warn",
    },
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  cliToken = await issueCliToken();
}, 60_000);

afterAll(async () => {
  server?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  await testDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
});

describe("keyward login / whoami / logout", () => {
  it("refuses a bad token with one clear line and exit 1", async () => {
    const result = await keyward(["login", url, "--token", "kws_not-a-real-token-at-all-000000"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^keyward: /);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("warns that plain http to another host sends the token in clear, and goes on", async () => {
    // .invalid never resolves (RFC 6761): the warning comes first, then the attempt fails.
    const result = await keyward(["login", "http://keyward.invalid", "--token", "kws_x"]);
    const [warning, failure] = result.stderr.trim().split("\n");
    expect(warning).toMatch(/^keyward: warning: http:\/\/keyward\.invalid is plain http/);
    expect(failure).toMatch(/^keyward: Cannot reach http:\/\/keyward\.invalid/);
    expect(result.code).toBe(1);
  });

  it("logs in with a /cli-auth token, stores it with mode 0600, and knows who it is", async () => {
    const result = await keyward(["login", url, "--token", cliToken]);
    expect(result.code, result.stderr).toBe(0);
    // Plain http to this machine is fine: no warning.
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`as ${OWNER.username} (Owner)`);
    expect(statSync(join(configDir, "config.json")).mode & 0o777).toBe(0o600);
    const who = await keyward(["whoami"]);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain(OWNER.username);
    const json = JSON.parse((await keyward(["whoami", "--json"])).stdout) as {
      user: { username: string };
    };
    expect(json.user.username).toBe(OWNER.username);
  });
});

describe("keyward tokens", () => {
  it("creates a token whose printed secret works in a real HTTP request", async () => {
    const created = await keyward([
      "tokens",
      "create",
      "--name",
      "ci-deploy",
      "--lifetime",
      "30d",
      "--quiet",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^kw_\S+$/);
    const me = await api("/api/v1/me", { token: secret });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe(OWNER.username);

    const human = await keyward([
      "tokens",
      "create",
      "--name",
      "reporting",
      "--scope",
      "token:read",
      "--description",
      "nightly report",
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("Created token reporting");
    expect(human.stdout).toContain("cannot be shown again");
    expect(human.stdout).toMatch(/kw_\S+/);
  });

  it("lists tokens as a table and as JSON, with filters", async () => {
    await keyward(["tokens", "create", "--name", "old-backup", "--disabled", "--quiet"]);
    const listed = await keyward(["tokens", "list"]);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+EXPIRES\s+LAST USED\s+SCOPES$/);
    expect(listed.stdout).toContain("ci-deploy");
    expect(listed.stdout).toContain("old-backup");

    const disabled = JSON.parse(
      (await keyward(["tokens", "list", "--status", "disabled", "--json"])).stdout,
    ) as {
      items: { name: string }[];
    };
    expect(disabled.items.map((t) => t.name)).toEqual(["old-backup"]);
    const searched = JSON.parse(
      (await keyward(["tokens", "list", "--search", "DEPLOY", "--json"])).stdout,
    ) as {
      items: { name: string }[];
    };
    expect(searched.items.map((t) => t.name)).toEqual(["ci-deploy"]);
    // old-backup has never been used; nothing here is 30 days old, so nothing is idle that long.
    const names = async (...filter: string[]) =>
      (
        JSON.parse((await keyward(["tokens", "list", ...filter, "--json"])).stdout) as {
          items: { name: string }[];
        }
      ).items.map((t) => t.name);
    expect(await names("--never-used")).toContain("old-backup");
    expect(await names("--used-within", "1d")).not.toContain("old-backup");
    expect(await names("--idle", "30d")).toEqual([]);
    const all = await keyward(["tokens", "list", "--all"]);
    expect(all.stdout.split("\n")[0]).toContain("USER");
  });

  it("views a token by name, regenerates it, and the old secret is refused", async () => {
    const first = (
      await keyward(["tokens", "create", "--name", "rotate-me", "--quiet"])
    ).stdout.trim();
    const view = await keyward(["tokens", "view", "rotate-me"]);
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toMatch(/Name\s+rotate-me/);
    expect(view.stdout).not.toContain(first);

    const regenerated = await keyward(["tokens", "regenerate", "rotate-me", "--yes", "--quiet"]);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const second = regenerated.stdout.trim();
    expect(second).not.toBe(first);
    expect((await api("/api/v1/me", { token: first })).status).toBe(401);
    expect((await api("/api/v1/me", { token: second })).status).toBe(200);
  });

  it("disables, enables and removes tokens", async () => {
    const secret = (
      await keyward(["tokens", "create", "--name", "short-lived", "--quiet"])
    ).stdout.trim();
    expect((await keyward(["tokens", "disable", "short-lived"])).code).toBe(0);
    expect((await api("/api/v1/me", { token: secret })).status).toBe(401);
    expect((await keyward(["tokens", "enable", "short-lived"])).code).toBe(0);
    expect((await api("/api/v1/me", { token: secret })).status).toBe(200);
    const removed = await keyward(["tokens", "remove", "short-lived", "--yes"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("Removed 1 token(s)");
    expect((await api("/api/v1/me", { token: secret })).status).toBe(401);
    const gone = await keyward(["tokens", "view", "short-lived"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('No token named "short-lived"');
  });

  it("shows a token's history, newest first, as a table and as JSON", async () => {
    for (const step of [
      ["create", "--name", "watched", "--quiet"],
      ["disable", "watched"],
      ["enable", "watched"],
    ]) {
      const done = await keyward(["tokens", ...step]);
      expect(done.code, done.stderr).toBe(0);
    }

    const shown = await keyward(["tokens", "history", "watched"]);
    expect(shown.code, shown.stderr).toBe(0);
    const [header, ...rows] = shown.stdout.trim().split("\n");
    expect(header).toMatch(/^WHEN\s+ACTION\s+BY\s+DETAILS$/);
    expect(rows.map((row) => row.split(/\s{2,}/)[1])).toEqual([
      "token.enable",
      "token.disable",
      "token.create",
    ]);
    expect(rows[0]).toContain(OWNER.username);
    // The command line enables and disables through the bulk endpoint.
    expect(rows[0]).toContain("in a bulk action on 1 token");
    expect(rows[2]).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    const json = await keyward(["tokens", "history", "watched", "--limit", "1", "--json"]);
    const parsed = JSON.parse(json.stdout) as { items: { action: string }[] };
    expect(parsed.items.map((e) => e.action)).toEqual(["token.enable"]);

    const bad = await keyward(["tokens", "history", "watched", "--limit", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--limit takes a number from 1 to 50");
  });

  it("reports the server's policy errors with their code", async () => {
    const tooLong = await keyward(["tokens", "create", "--name", "forever", "--lifetime", "100d"]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain("[expiry_exceeds_max_lifetime]");
    const never = await keyward(["tokens", "create", "--name", "forever", "--lifetime", "never"]);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain("[expiry_required]");
    const clash = await keyward(["tokens", "create", "--name", "ci-deploy"]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("[token_name_taken]");
  });

  it("works with an API token from the environment instead of a stored login", async () => {
    const secret = (
      await keyward(["tokens", "create", "--name", "ci-env", "--quiet"])
    ).stdout.trim();
    const who = await keyward(["whoami"], {
      KEYWARD_URL: url,
      KEYWARD_TOKEN: secret,
      KEYWARD_CONFIG_DIR: join(configDir, "empty"),
    });
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toContain(OWNER.username);
  });
});

// A member's token name, or any text the server sends, must not drive the terminal of the
// administrator who reads it. The server refuses such names now, so a stand-in in front of it
// puts them back into its answers, as rows stored before that check, or a hostile server, would.
describe("text from the server in human output", () => {
  const MARKER = "hostile-marker";
  // Colours, a window title, a clipboard write (OSC 52), a right-to-left override, CSI as a C1
  // control, DEL and a line break that would fake a table row.
  const HOSTILE =
    "x\u001b[31mred\u001b]0;title\u0007\u001b]52;c;aGk=\u0007\u202eexe\u009b2J\u007f\nfake";
  const SHOWN =
    "x\\u001b[31mred\\u001b]0;title\\u0007\\u001b]52;c;aGk=\\u0007\\u202eexe\\u009b2J\\u007f\\u000afake";
  const HOSTILE_USER = `${OWNER.username}\u2066\u0007`;
  const SHOWN_USER = `${OWNER.username}\\u2066\\u0007`;
  /** What a terminal would act on, or hide; line breaks are checked by counting lines. */
  const RAW_CONTROL =
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

  let standIn: StandIn;
  let tokenId: string;
  const throughStandIn = { KEYWARD_URL: "", KEYWARD_TOKEN: "" };

  beforeAll(async () => {
    standIn = await startStandIn(async (request) => {
      const res = await fetch(`${url}${request.path}`, {
        method: request.method,
        headers: {
          authorization: request.headers.authorization ?? "",
          "content-type": request.headers["content-type"] ?? "application/json",
        },
        body: request.body || undefined,
      });
      const inJson = (text: string) => JSON.stringify(text).slice(1, -1);
      const body = (await res.text())
        .replaceAll(MARKER, inJson(HOSTILE))
        .replaceAll(`"${OWNER.username}"`, `"${inJson(HOSTILE_USER)}"`);
      return { status: res.status, body };
    });
    throughStandIn.KEYWARD_URL = standIn.url;
    throughStandIn.KEYWARD_TOKEN = cliToken;
    const created = await keyward([
      "tokens",
      "create",
      "--name",
      MARKER,
      "--description",
      `about ${MARKER}`,
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    tokenId = (JSON.parse(created.stdout) as { token: { id: string } }).token.id;
    const renamed = await api(`/api/v1/tokens/${tokenId}`, {
      method: "PATCH",
      token: cliToken,
      body: { name: `${MARKER}-2` },
    });
    expect(renamed.status).toBe(200);
  });

  afterAll(() => standIn?.close());

  it("escapes them in tokens list --all, one row per token, and keeps --json exact", async () => {
    const listed = await keyward(["tokens", "list", "--all"], throughStandIn);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toMatch(RAW_CONTROL);
    const row = listed.stdout.split("\n").find((line) => line.startsWith(tokenId));
    expect(row).toContain(`${SHOWN}-2`);
    expect(row).toContain(SHOWN_USER);

    const json = await keyward(["tokens", "list", "--all", "--json"], throughStandIn);
    const { items } = JSON.parse(json.stdout) as { items: { id: string; name: string }[] };
    expect(items.find((t) => t.id === tokenId)?.name).toBe(`${HOSTILE}-2`);
    expect(listed.stdout.trim().split("\n")).toHaveLength(1 + items.length);
  });

  it("escapes them in tokens view, and keeps --json exact", async () => {
    const view = await keyward(["tokens", "view", tokenId], throughStandIn);
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).not.toMatch(RAW_CONTROL);
    const field = (label: string) =>
      view.stdout
        .split("\n")
        .find((line) => line.startsWith(`${label} `))
        ?.slice(label.length)
        .trim();
    expect(field("Name")).toBe(`${SHOWN}-2`);
    expect(field("Description")).toBe(`about ${SHOWN}`);
    expect(field("Created by")).toBe(SHOWN_USER);

    const json = await keyward(["tokens", "view", tokenId, "--json"], throughStandIn);
    const token = JSON.parse(json.stdout) as { name: string; description: string };
    expect(token.name).toBe(`${HOSTILE}-2`);
    expect(token.description).toBe(`about ${HOSTILE}`);
  });

  it("escapes them in tokens history, one row per event, and keeps --json exact", async () => {
    const shown = await keyward(["tokens", "history", tokenId], throughStandIn);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).not.toMatch(RAW_CONTROL);
    const [header, ...rows] = shown.stdout.trim().split("\n");
    expect(header).toMatch(/^WHEN\s+ACTION\s+BY\s+DETAILS$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("token.update");
    expect(rows[0]).toContain(SHOWN_USER);
    expect(rows[0]).toContain(`name: ${SHOWN} → ${SHOWN}-2`);

    const json = await keyward(["tokens", "history", tokenId, "--json"], throughStandIn);
    const history = JSON.parse(json.stdout) as {
      items: { actorName: string; details: { changes: { name: { from: string } } } }[];
    };
    expect(history.items[0]?.actorName).toBe(HOSTILE_USER);
    expect(history.items[0]?.details.changes.name.from).toBe(HOSTILE);
  });

  it("escapes a server's error message on stderr", async () => {
    const hostileServer = await startStandIn(async () => ({
      status: 403,
      body: errorBody("forbidden", HOSTILE),
    }));
    try {
      const result = await keyward(["whoami"], {
        KEYWARD_URL: hostileServer.url,
        KEYWARD_TOKEN: "kws_x",
      });
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(RAW_CONTROL);
      expect(result.stderr.trim().split("\n")).toEqual([`keyward: ${SHOWN} [forbidden]`]);
    } finally {
      await hostileServer.close();
    }
  });
});

describe("the stored login's token", () => {
  it("is not sent to a KEYWARD_URL for another server", async () => {
    const elsewhere = await startStandIn(async () => ({
      status: 401,
      body: errorBody("unauthenticated", "Sign in first"),
    }));
    try {
      const result = await keyward(["tokens", "list"], { KEYWARD_URL: elsewhere.url });
      expect(elsewhere.requests).toEqual([]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain("set KEYWARD_TOKEN");
      expect(result.stderr).toContain(`keyward login ${elsewhere.url}`);
    } finally {
      await elsewhere.close();
    }
  });

  it("is used when KEYWARD_URL names the stored server", async () => {
    const who = await keyward(["whoami"], { KEYWARD_URL: `${url.toUpperCase()}/` });
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toContain(OWNER.username);
  });

  it("gives way to KEYWARD_URL with KEYWARD_TOKEN, which go together as given", async () => {
    const ci = await startStandIn(async () => ({
      status: 401,
      body: errorBody("invalid_token", "No"),
    }));
    try {
      await keyward(["whoami"], { KEYWARD_URL: ci.url, KEYWARD_TOKEN: "kw_from-the-ci-job" });
      expect(ci.requests.map((r) => r.headers.authorization)).toEqual([
        "Bearer kw_from-the-ci-job",
      ]);
    } finally {
      await ci.close();
    }
  });
});

describe("usage errors and failures", () => {
  it.each([
    [["tokens", "list", "--bogus"], /Unknown option '--bogus'/],
    [["tokens", "create", "--name", "x", "--lifetime", "soon"], /not a duration/],
    [["tokens", "create"], /--name is required/],
    [["tokens", "frobnicate"], /Unknown command/],
    [["dance"], /Unknown command/],
    [["tokens", "list", "--status", "maybe"], /enabled or disabled/],
    [["tokens", "list", "--never-used", "--idle", "30d"], /one of --never-used/],
    [["tokens", "list", "--idle", "a while"], /--idle: "a while" is not a duration/],
    [["tokens", "regenerate", "ci-deploy"], /pass --yes/],
  ])("keyward %j exits 2 with one line", async (args, message) => {
    const result = await keyward(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message as RegExp);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("has --help on every command", async () => {
    for (const args of [
      ["--help"],
      ["login", "--help"],
      ["tokens", "--help"],
      ["tokens", "create", "--help"],
      ["tokens", "list", "-h"],
    ]) {
      const result = await keyward(args);
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage:");
    }
  });

  it("says so when the server cannot be reached", async () => {
    const result = await keyward(["whoami"], {
      KEYWARD_URL: "http://127.0.0.1:9",
      KEYWARD_TOKEN: "kws_x",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it("asks to log in again once the login has ended", async () => {
    expect((await keyward(["logout"])).code).toBe(0);
    const after = await keyward(["whoami"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("Not logged in");
    // A stored login whose session was ended on the server.
    const token = await issueCliToken();
    expect((await keyward(["login", url, "--token", token])).code).toBe(0);
    const sessions = (await (await api("/api/v1/me/sessions", { token })).json()) as {
      items: { id: string; current: boolean }[];
    };
    const current = sessions.items.find((s) => s.current);
    expect(current).toBeDefined();
    expect(
      (await api(`/api/v1/me/sessions/${current?.id}`, { method: "DELETE", token })).status,
    ).toBeLessThan(300);
    const expired = await keyward(["whoami"]);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain("keyward login");
  });
});
