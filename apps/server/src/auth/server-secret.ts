import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The server's secret key (the "pepper"): KEYWARD_TOKEN_PEPPER when set, otherwise generated once
 * and kept in the data directory with mode 0600. Token hashes and CSRF tokens are keyed with it,
 * so a copy of the database alone cannot be used to check guessed secrets.
 */
export function loadServerSecret(options: { pepper: string | undefined; dataDir: string }): {
  secret: Buffer;
  source: "env" | "generated" | "file";
} {
  if (options.pepper) return { secret: Buffer.from(options.pepper, "utf8"), source: "env" };
  const dir = join(options.dataDir, "secrets");
  const file = join(dir, "pepper");
  if (existsSync(file)) {
    return { secret: Buffer.from(readFileSync(file, "utf8").trim(), "base64url"), source: "file" };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString("base64url"), { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { secret, source: "generated" };
}
