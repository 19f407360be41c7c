import { MAX_TOKEN_HISTORY, type TokenHistory } from "@keyward/contracts/audit";
import { summarizeAuditDetails } from "@keyward/contracts/audit-details";
import type { Me } from "@keyward/contracts/auth";
import { parseDuration } from "@keyward/contracts/duration";
import {
  type BulkTokenAction,
  TOKEN_ID_PATTERN,
  type Token,
  type TokenList,
  type TokenWithSecret,
} from "@keyward/contracts/tokens";
import type { CommandContext } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { formatTime, table, tokenDetails, tokenTable } from "../output.ts";
import { confirm, isInteractive } from "../prompt.ts";

export const tokensHelp = `Usage: keyward tokens <command> [options]

Commands:
  create --name NAME [--lifetime 720h|30d|never] [--scope S]... [--allow A]...
         [--user USER] [--description TEXT] [--disabled] [--quiet]
  list [--all] [--user USER] [--status enabled|disabled] [--expired | --expiring 7d]
       [--never-used | --used-within 7d | --idle 90d] [--search TEXT] [--limit N]
       (--idle: not used in that long, and older than that)
  view <id|name>
  history <id|name> [--limit N]   who changed it and how, newest first
  regenerate <id|name> [--yes] [--quiet]
  enable <id|name>...
  disable <id|name>...
  remove <id|name>... [--yes]

Every command takes --json for scripts and --help. A token is named by its id (tok_…) or by its
name among your own tokens (or USER's, with --user).`;

async function currentUser(ctx: CommandContext): Promise<Me> {
  return ctx.client().request<Me>("GET", "/api/v1/me");
}

/** A user id (usr_…) as given, or the id of the user with that exact username. */
async function resolveUserId(ctx: CommandContext, user: string): Promise<string> {
  if (/^usr_[0-9A-Za-z]+$/.test(user)) return user;
  const found = await ctx
    .client()
    .request<{ items: { id: string; username: string }[] }>(
      "GET",
      `/api/v1/users?q=${encodeURIComponent(user)}&limit=50`,
    );
  const match = found.items.find((u) => u.username.toLowerCase() === user.toLowerCase());
  if (!match) throw new CliError(`No user named ${user}.`);
  return match.id;
}

/** Finds a token by id, or by exact name among one user's tokens. */
async function resolveToken(ctx: CommandContext, ref: string, user?: string): Promise<Token> {
  if (TOKEN_ID_PATTERN.test(ref)) {
    return ctx.client().request<Token>("GET", `/api/v1/tokens/${encodeURIComponent(ref)}`);
  }
  const ownerId = user ? await resolveUserId(ctx, user) : (await currentUser(ctx)).id;
  const params = new URLSearchParams({ name: ref, userId: ownerId, limit: "200" });
  const list = await ctx.client().request<TokenList>("GET", `/api/v1/tokens?${params}`);
  const match = list.items.find((t) => t.name.toLowerCase() === ref.toLowerCase());
  if (!match) throw new CliError(`No token named "${ref}"${user ? ` for ${user}` : ""}.`);
  return match;
}

function printSecret(
  ctx: CommandContext,
  result: TokenWithSecret,
  verb: string,
  opts: { json: boolean; quiet: boolean },
) {
  if (opts.json) return ctx.io.json(result);
  if (opts.quiet) return ctx.io.out(result.secret);
  const t = result.token;
  ctx.io.out(
    `${verb} token ${t.name} (${t.id}) for ${t.userName}, ${t.expiresAt ? `expires ${formatTime(t.expiresAt)}` : "never expires"}.`,
  );
  ctx.io.out("");
  ctx.io.out(`  ${result.secret}`);
  ctx.io.out("");
  ctx.io.out("Copy the secret now: it cannot be shown again.");
}

export interface CreateArgs {
  name?: string;
  lifetime?: string;
  scope?: string[];
  allow?: string[];
  user?: string;
  description?: string;
  disabled: boolean;
  quiet: boolean;
  json: boolean;
}

export async function createToken(ctx: CommandContext, args: CreateArgs) {
  if (!args.name) throw new UsageError("--name is required: keyward tokens create --name NAME");
  let expiresAt: string | null | undefined;
  if (args.lifetime !== undefined) {
    if (args.lifetime === "never") expiresAt = null;
    else {
      const ms = parseDuration(args.lifetime);
      if (ms === null)
        throw new UsageError(
          `--lifetime: "${args.lifetime}" is not a duration like 720h, 30d or never.`,
        );
      expiresAt = new Date(Date.now() + ms).toISOString();
    }
  }
  const body = {
    name: args.name,
    ...(args.user ? { userId: await resolveUserId(ctx, args.user) } : {}),
    ...(args.description !== undefined ? { description: args.description } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(args.disabled ? { enabled: false } : {}),
    ...(args.scope?.length ? { scopes: args.scope } : {}),
    ...(args.allow?.length ? { allow: args.allow } : {}),
  };
  const result = await ctx.client().request<TokenWithSecret>("POST", "/api/v1/tokens", body);
  printSecret(ctx, result, "Created", args);
}

export interface ListArgs {
  all: boolean;
  user?: string;
  status?: string;
  expired: boolean;
  expiring?: string;
  neverUsed: boolean;
  usedWithin?: string;
  idle?: string;
  search?: string;
  limit?: string;
  json: boolean;
}

/** A duration option (7d, 720h) as whole days, rounded up, for the list's day-based filters. */
function wholeDays(option: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`${option}: "${text}" is not a duration like 7d.`);
  return Math.max(1, Math.ceil(ms / 86_400_000));
}

export async function listTokens(ctx: CommandContext, args: ListArgs) {
  if (args.status && args.status !== "enabled" && args.status !== "disabled") {
    throw new UsageError("--status must be enabled or disabled.");
  }
  if (args.expired && args.expiring) throw new UsageError("Use --expired or --expiring, not both.");
  const limit = args.limit === undefined ? 100 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError("--limit must be a whole number from 1 to 10000.");
  const params = new URLSearchParams();
  if (args.user) params.append("userId", await resolveUserId(ctx, args.user));
  else if (!args.all) params.append("userId", (await currentUser(ctx)).id);
  if (args.status) params.set("status", args.status);
  if (args.expired) params.set("expiry", "expired");
  if (args.expiring) params.set("expiry", `within:${wholeDays("--expiring", args.expiring)}`);
  const lastUse = [
    args.neverUsed ? "never" : undefined,
    args.usedWithin ? `within:${wholeDays("--used-within", args.usedWithin)}` : undefined,
    args.idle ? `idle:${wholeDays("--idle", args.idle)}` : undefined,
  ].filter((filter) => filter !== undefined);
  if (lastUse.length > 1)
    throw new UsageError("Use one of --never-used, --used-within and --idle.");
  if (lastUse[0]) params.set("lastUsed", lastUse[0]);
  if (args.search) params.set("name", args.search);
  params.set("sort", "name");

  const items: Token[] = [];
  let total = 0;
  let cursor: string | null = null;
  do {
    params.set("limit", String(Math.min(200, limit - items.length)));
    if (cursor) params.set("cursor", cursor);
    const page: TokenList = await ctx
      .client()
      .request<TokenList>("GET", `/api/v1/tokens?${params}`);
    items.push(...page.items);
    total = page.total;
    cursor = page.nextCursor;
  } while (cursor && items.length < limit);

  if (args.json) return ctx.io.json({ items, total });
  if (items.length === 0) return ctx.io.out("No tokens match.");
  for (const line of tokenTable(items, args.all || Boolean(args.user))) ctx.io.out(line);
  if (total > items.length) {
    ctx.io.out("");
    ctx.io.out(`Showing ${items.length} of ${total}. Use --limit or narrow the filters.`);
  }
}

export async function viewToken(
  ctx: CommandContext,
  args: { refs: string[]; user?: string; json: boolean },
) {
  const [ref] = args.refs;
  if (!ref || args.refs.length > 1)
    throw new UsageError("Name one token: keyward tokens view <id|name>");
  const token = await resolveToken(ctx, ref, args.user);
  if (args.json) return ctx.io.json(token);
  for (const line of tokenDetails(token)) ctx.io.out(line);
}

export async function tokenHistory(
  ctx: CommandContext,
  args: { refs: string[]; user?: string; limit?: string; json: boolean },
) {
  const [ref] = args.refs;
  if (!ref || args.refs.length > 1)
    throw new UsageError("Name one token: keyward tokens history <id|name>");
  const limit = args.limit ?? "20";
  if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_TOKEN_HISTORY)
    throw new UsageError(`--limit takes a number from 1 to ${MAX_TOKEN_HISTORY}.`);
  const token = await resolveToken(ctx, ref, args.user);
  const history = await ctx
    .client()
    .request<TokenHistory>(
      "GET",
      `/api/v1/tokens/${encodeURIComponent(token.id)}/history?limit=${limit}`,
    );
  if (args.json) return ctx.io.json(history);
  if (history.items.length === 0) return ctx.io.out(`Nothing recorded for ${token.name}.`);
  const lines = table([
    ["WHEN", "ACTION", "BY", "DETAILS"],
    ...history.items.map((event) => [
      formatTime(event.occurredAt),
      event.action,
      (event.actorName ?? "system") + (event.actorTokenId ? " (token)" : ""),
      summarizeAuditDetails(event.details, formatTime),
    ]),
  ]);
  for (const line of lines) ctx.io.out(line);
}

async function confirmOrRefuse(args: { yes: boolean }, question: string) {
  if (args.yes) return;
  if (!isInteractive()) throw new UsageError("Not on a terminal: pass --yes to confirm.");
  if (!(await confirm(question))) throw new CliError("Cancelled.");
}

export async function regenerateToken(
  ctx: CommandContext,
  args: { refs: string[]; user?: string; yes: boolean; quiet: boolean; json: boolean },
) {
  const [ref] = args.refs;
  if (!ref || args.refs.length > 1)
    throw new UsageError("Name one token: keyward tokens regenerate <id|name>");
  const token = await resolveToken(ctx, ref, args.user);
  await confirmOrRefuse(
    args,
    `Regenerate ${token.name} (${token.id})? Its current secret stops working at once.`,
  );
  const result = await ctx
    .client()
    .request<TokenWithSecret>("POST", `/api/v1/tokens/${encodeURIComponent(token.id)}/regenerate`);
  printSecret(ctx, result, "Regenerated", args);
}

const pastTense: Record<BulkTokenAction, string> = {
  enable: "Enabled",
  disable: "Disabled",
  delete: "Removed",
};

export async function bulkTokens(
  ctx: CommandContext,
  action: BulkTokenAction,
  args: { refs: string[]; user?: string; yes: boolean; json: boolean },
) {
  if (args.refs.length === 0)
    throw new UsageError(
      `Name at least one token: keyward tokens ${action === "delete" ? "remove" : action} <id|name>...`,
    );
  const tokens: Token[] = [];
  for (const ref of args.refs) tokens.push(await resolveToken(ctx, ref, args.user));
  if (action === "delete") {
    const names = tokens.map((t) => t.name).join(", ");
    await confirmOrRefuse(
      args,
      `Remove ${tokens.length} token(s) (${names})? Anything using them stops working.`,
    );
  }
  const ids = [...new Set(tokens.map((t) => t.id))];
  const result = await ctx
    .client()
    .request<unknown>("POST", "/api/v1/tokens/bulk", { action, ids });
  if (args.json) return ctx.io.json(result ?? { action, ids });
  ctx.io.out(
    `${pastTense[action]} ${ids.length} token(s): ${tokens.map((t) => `${t.name} (${t.id})`).join(", ")}.`,
  );
}
