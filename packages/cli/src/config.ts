import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError } from "./errors.ts";

export interface StoredLogin {
  url: string;
  token: string;
}

/** `$KEYWARD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/keyward`, else `~/.config/keyward`. */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.KEYWARD_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "keyward");
  return join(dir, "config.json");
}

export function readStoredLogin(env: NodeJS.ProcessEnv = process.env): StoredLogin | undefined {
  try {
    const parsed = JSON.parse(readFileSync(configFile(env), "utf8")) as Partial<StoredLogin>;
    if (typeof parsed.url === "string" && typeof parsed.token === "string") {
      return { url: parsed.url, token: parsed.token };
    }
  } catch {
    // Missing or unreadable: not logged in.
  }
  return undefined;
}

/** Written with mode 0600 in a 0700 folder: the file holds a credential. */
export function writeStoredLogin(login: StoredLogin, env: NodeJS.ProcessEnv = process.env): string {
  const file = configFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function removeStoredLogin(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(configFile(env), { force: true });
}

/**
 * A server URL as `keyward login` stores it: origin and path, without trailing slashes (so
 * `HTTPS://Example.com/keyward/` and `https://example.com/keyward` are one server). Undefined
 * when the text is not an http(s) URL.
 */
export function serverUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.origin + url.pathname.replace(/\/+$/, "");
  } catch {
    return undefined;
  }
}

/**
 * Where to talk to and as whom: KEYWARD_URL / KEYWARD_TOKEN win over the stored login. The
 * stored token only ever goes to the server it was stored for: a KEYWARD_URL left in the
 * environment for another server (a project's .env, say) must not receive it.
 */
export function resolveLogin(env: NodeJS.ProcessEnv = process.env): StoredLogin {
  const stored = readStoredLogin(env);
  const envUrl = env.KEYWARD_URL;
  if (envUrl && !env.KEYWARD_TOKEN && stored) {
    const target = serverUrl(envUrl);
    if (target === undefined || target !== serverUrl(stored.url)) {
      throw new CliError(
        `KEYWARD_URL (${envUrl}) is not the server you are logged in to (${stored.url}); set KEYWARD_TOKEN too, or run \`keyward login ${envUrl}\`.`,
      );
    }
  }
  const url = envUrl || stored?.url;
  const token = env.KEYWARD_TOKEN || stored?.token;
  if (!url || !token) {
    throw new CliError(
      "Not logged in. Run `keyward login <url>` or set KEYWARD_URL and KEYWARD_TOKEN.",
    );
  }
  return { url, token };
}
