import type { Token } from "@keyward/contracts/tokens";

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((row) =>
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
