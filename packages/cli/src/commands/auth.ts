import type { Me } from "@keyward/contracts/auth";
import { createClient } from "../client.ts";
import {
  readStoredLogin,
  removeStoredLogin,
  resolveLogin,
  serverUrl,
  writeStoredLogin,
} from "../config.ts";
import type { CommandContext } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { ask, isInteractive, readStdin } from "../prompt.ts";

export const loginHelp = `Usage: keyward login <url> [--token TOKEN]

Signs the command line in to a Keyward server. Open <url>/cli-auth in a browser where you are
signed in, copy the session token it shows, and paste it when asked (or pass --token, or pipe it
on standard input). An API token (kw_…) works too, e.g. in CI.

The URL and token are stored in ~/.config/keyward/config.json (mode 0600).
KEYWARD_URL and KEYWARD_TOKEN, when set, override the stored values; the stored token is only
sent to the stored URL, so KEYWARD_URL for another server needs KEYWARD_TOKEN too.`;

/** Plain http to another machine: anyone on the way can read the token. Loopback is fine. */
function sendsTokenInClear(base: string): boolean {
  const { protocol, hostname } = new URL(base);
  return protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(hostname);
}

export async function login(
  ctx: CommandContext,
  args: { url?: string; token?: string; json: boolean },
) {
  if (!args.url) throw new UsageError("Name the server: keyward login <url>");
  const base = serverUrl(args.url);
  if (!base) throw new UsageError(`Not an http(s) URL: ${args.url}`);
  if (sendsTokenInClear(base)) {
    ctx.io.err(
      `keyward: warning: ${base} is plain http, so the token travels unencrypted; use https:// unless the network is trusted.`,
    );
  }
  let token = args.token;
  if (!token) {
    if (isInteractive()) {
      ctx.io.err(
        `Open ${base}/cli-auth in your browser, copy the session token, and paste it here.`,
      );
      token = await ask("Token: ");
    } else {
      token = await readStdin();
    }
  }
  if (!token) throw new UsageError("No token given.");
  const me = await createClient(base, token).request<Me>("GET", "/api/v1/me");
  const file = writeStoredLogin({ url: base, token }, ctx.env);
  if (args.json) ctx.io.json({ url: base, user: me });
  else ctx.io.out(`Logged in to ${base} as ${me.username} (${me.role.name}). Saved to ${file}.`);
}

export const logoutHelp = `Usage: keyward logout

Ends the command-line session on the server and forgets the stored login.`;

export async function logout(ctx: CommandContext) {
  const stored = readStoredLogin(ctx.env);
  if (!stored) {
    ctx.io.out("Not logged in.");
    return;
  }
  try {
    await createClient(stored.url, stored.token).request("POST", "/api/v1/auth/logout");
  } catch (error) {
    // Forgetting the local login is what matters; a dead or unreachable session is fine.
    if (error instanceof CliError && error.code === undefined) ctx.io.err(`Note: ${error.message}`);
  }
  removeStoredLogin(ctx.env);
  ctx.io.out(`Logged out of ${stored.url}.`);
}

export const whoamiHelp = `Usage: keyward whoami [--json]

Shows who the command line is signed in as, and where.`;

export async function whoami(ctx: CommandContext, args: { json: boolean }) {
  const { url } = resolveLogin(ctx.env);
  const me = await ctx.client().request<Me>("GET", "/api/v1/me");
  if (args.json) ctx.io.json({ url, user: me });
  else ctx.io.out(`${me.username} (${me.displayName}), role ${me.role.name}, at ${url}`);
}
