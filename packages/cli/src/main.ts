import { type ParseArgsConfig, parseArgs } from "node:util";
import { login, loginHelp, logout, logoutHelp, whoami, whoamiHelp } from "./commands/auth.ts";
import {
  bulkTokens,
  createToken,
  listTokens,
  regenerateToken,
  tokenHistory,
  tokensHelp,
  viewToken,
} from "./commands/tokens.ts";
import { type CommandContext, createContext } from "./context.ts";
import { CliError, UsageError } from "./errors.ts";
import { type Output, stdio } from "./output.ts";

const VERSION = "0.1.0";

const mainHelp = `keyward — manage Keyward API tokens from the command line

Usage: keyward <command> [options]

Commands:
  login <url>        sign in with a session token from <url>/cli-auth
  logout             end the command-line session
  whoami             show who you are signed in as
  tokens ...         create, list, view, history, regenerate, enable, disable, remove tokens

Options: --json (machine-readable output), --help, --version.
Environment: KEYWARD_URL and KEYWARD_TOKEN override the stored login (e.g. an API token in CI);
  the stored token is only sent to the stored URL.
Exit codes: 0 success, 1 error, 2 usage mistake.

Run \`keyward <command> --help\` for a command's options.`;

type Options = NonNullable<ParseArgsConfig["options"]>;
const common: Options = {
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
};

interface Spec {
  help: string;
  options: Options;
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: string[]): Promise<void>;
}

const refOptions: Options = { user: { type: "string" } };
const s = (v: unknown) => v as string | undefined;
const b = (v: unknown) => v === true;

const tokenCommands: Record<string, Spec> = {
  create: {
    help: tokensHelp,
    options: {
      name: { type: "string" },
      lifetime: { type: "string" },
      scope: { type: "string", multiple: true },
      allow: { type: "string", multiple: true },
      user: { type: "string" },
      description: { type: "string" },
      disabled: { type: "boolean", default: false },
      quiet: { type: "boolean", short: "q", default: false },
    },
    run: (ctx, v, p) => {
      if (p.length) throw new UsageError(`Unexpected argument: ${p[0]}`);
      return createToken(ctx, {
        name: s(v.name),
        lifetime: s(v.lifetime),
        scope: v.scope as string[] | undefined,
        allow: v.allow as string[] | undefined,
        user: s(v.user),
        description: s(v.description),
        disabled: b(v.disabled),
        quiet: b(v.quiet),
        json: b(v.json),
      });
    },
  },
  list: {
    help: tokensHelp,
    options: {
      all: { type: "boolean", default: false },
      user: { type: "string" },
      status: { type: "string" },
      expired: { type: "boolean", default: false },
      expiring: { type: "string" },
      "never-used": { type: "boolean", default: false },
      "used-within": { type: "string" },
      idle: { type: "string" },
      search: { type: "string" },
      limit: { type: "string" },
    },
    run: (ctx, v, p) => {
      if (p.length) throw new UsageError(`Unexpected argument: ${p[0]}`);
      return listTokens(ctx, {
        all: b(v.all),
        user: s(v.user),
        status: s(v.status),
        expired: b(v.expired),
        expiring: s(v.expiring),
        neverUsed: b(v["never-used"]),
        usedWithin: s(v["used-within"]),
        idle: s(v.idle),
        search: s(v.search),
        limit: s(v.limit),
        json: b(v.json),
      });
    },
  },
  view: {
    help: tokensHelp,
    options: refOptions,
    run: (ctx, v, p) => viewToken(ctx, { refs: p, user: s(v.user), json: b(v.json) }),
  },
  history: {
    help: tokensHelp,
    options: { ...refOptions, limit: { type: "string" } },
    run: (ctx, v, p) =>
      tokenHistory(ctx, { refs: p, user: s(v.user), limit: s(v.limit), json: b(v.json) }),
  },
  regenerate: {
    help: tokensHelp,
    options: {
      ...refOptions,
      yes: { type: "boolean", short: "y", default: false },
      quiet: { type: "boolean", short: "q", default: false },
    },
    run: (ctx, v, p) =>
      regenerateToken(ctx, {
        refs: p,
        user: s(v.user),
        yes: b(v.yes),
        quiet: b(v.quiet),
        json: b(v.json),
      }),
  },
  enable: {
    help: tokensHelp,
    options: refOptions,
    run: (ctx, v, p) =>
      bulkTokens(ctx, "enable", { refs: p, user: s(v.user), yes: true, json: b(v.json) }),
  },
  disable: {
    help: tokensHelp,
    options: refOptions,
    run: (ctx, v, p) =>
      bulkTokens(ctx, "disable", { refs: p, user: s(v.user), yes: true, json: b(v.json) }),
  },
  remove: {
    help: tokensHelp,
    options: { ...refOptions, yes: { type: "boolean", short: "y", default: false } },
    run: (ctx, v, p) =>
      bulkTokens(ctx, "delete", { refs: p, user: s(v.user), yes: b(v.yes), json: b(v.json) }),
  },
};

const topCommands: Record<string, Spec> = {
  login: {
    help: loginHelp,
    options: { token: { type: "string" } },
    run: (ctx, v, p) => {
      if (p.length > 1) throw new UsageError(`Unexpected argument: ${p[1]}`);
      return login(ctx, { url: p[0], token: s(v.token), json: b(v.json) });
    },
  },
  logout: { help: logoutHelp, options: {}, run: (ctx) => logout(ctx) },
  whoami: { help: whoamiHelp, options: {}, run: (ctx, v) => whoami(ctx, { json: b(v.json) }) },
};

function parse(spec: Spec, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...common, ...spec.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node:util reports unknown options and missing values as TypeErrors with a clear message.
    const message = (error as Error).message.split("\n")[0] ?? "Invalid arguments";
    throw new UsageError(message.replace(/\. To specify a positional.*$/, "."));
  }
}

/** Runs one invocation and answers its exit code; never throws. */
export async function run(
  argv: string[],
  io: Output = stdio,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = createContext(io, env);
  try {
    const [command, ...rest] = argv;
    if (!command || command === "--help" || command === "-h" || command === "help") {
      io.help(mainHelp);
      return command ? 0 : 2;
    }
    if (command === "--version" || command === "-v") {
      io.out(VERSION);
      return 0;
    }
    let spec: Spec | undefined;
    let args = rest;
    if (command === "tokens") {
      const [sub, ...subArgs] = rest;
      if (!sub || sub === "--help" || sub === "-h") {
        io.help(tokensHelp);
        return sub ? 0 : 2;
      }
      spec = tokenCommands[sub];
      if (!spec)
        throw new UsageError(`Unknown command: keyward tokens ${sub}. See keyward tokens --help.`);
      args = subArgs;
    } else {
      spec = topCommands[command];
      if (!spec) throw new UsageError(`Unknown command: ${command}. See keyward --help.`);
    }
    const { values, positionals } = parse(spec, args);
    if (values.help) {
      io.help(spec.help);
      return 0;
    }
    await spec.run(ctx, values, positionals);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`keyward: ${error.message}`);
      return error.exitCode;
    }
    io.err(`keyward: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Entry point when run as a program (not when imported by tests).
const invokedDirectly =
  process.argv[1] && /(?:keyward(?:\.js)?|main\.ts)$/.test(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
