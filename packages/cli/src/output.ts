import { isHiddenCodePoint } from "@keyward/contracts/plain-text";
import type { Token } from "@keyward/contracts/tokens";

/**
 * Where the command line writes. `out` and `err` take one line for a person and make any
 * control or text-direction character in it visible (see `inert`), so text from the server can
 * never drive the terminal; `json` and `help` write our own text exactly.
 */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Machine-readable output for --json: exact JSON on one line. */
  json(value: unknown): void;
  /** The command line's own multi-line help, whose line breaks are meant. */
  help(text: string): void;
}

export const stdio: Output = {
  out: (line) => process.stdout.write(`${inert(line)}\n`),
  err: (line) => process.stderr.write(`${inert(line)}\n`),
  json: (value) => process.stdout.write(`${JSON.stringify(value)}\n`),
  help: (text) => process.stdout.write(`${text}\n`),
};

/**
 * The text with each hidden character (a C0 control, a line break too: it would split a table row
 * or fake one; DEL; a C1 control such as CSI; a text-direction override) written out as a
 * `\u001b`-style escape; idempotent.
 */
export function inert(text: string): string {
  let shown = "";
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    shown += isHiddenCodePoint(code) ? `\\u${code.toString(16).padStart(4, "0")}` : character;
  }
  return shown;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string[] {
  // Cells are made inert before measuring: the escapes are wider than what they stand for.
  const cells = rows.map((row) => row.map(inert));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length))) ?? [];
  return cells.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** `2026-12-24 10:00 UTC`; times on the wire are ISO 8601 in UTC. */
export function formatTime(iso: string | null, none = "never"): string {
  if (!iso) return none;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function tokenState(token: Token): string {
  if (token.expired) return "expired";
  return token.status;
}

export function tokenTable(tokens: Token[], withOwner: boolean): string[] {
  const header = [
    "ID",
    "NAME",
    ...(withOwner ? ["USER"] : []),
    "STATUS",
    "EXPIRES",
    "LAST USED",
    "SCOPES",
  ];
  return table([
    header,
    ...tokens.map((t) => [
      t.id,
      t.name,
      ...(withOwner ? [t.userName] : []),
      tokenState(t),
      formatTime(t.expiresAt),
      formatTime(t.lastUsedAt),
      t.scopes.join(","),
    ]),
  ]);
}

export function tokenDetails(token: Token): string[] {
  return table([
    ["ID", token.id],
    ["Name", token.name],
    ["Description", token.description || "—"],
    ["User", `${token.userName} (${token.userId})`],
    ["Created by", token.createdByName],
    ["Status", tokenState(token)],
    ["Expires", formatTime(token.expiresAt)],
    ["Created", formatTime(token.createdAt)],
    ["Updated", formatTime(token.updatedAt)],
    ["Last used", formatTime(token.lastUsedAt)],
    [
      "Last used from",
      [token.lastUsedIp, token.lastUsedUserAgent].filter(Boolean).join(" ") || "—",
    ],
    ["Scopes", token.scopes.join(", ")],
    ["Allow list", token.allow.length ? token.allow.join(", ") : "— (no restriction)"],
    ["Secret regenerated", formatTime(token.secretRegeneratedAt, "—")],
  ]);
}
