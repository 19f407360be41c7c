// How an audit event's details read to a person, shared by the web app and the command line.
// Details are recorded by the server as plain JSON: changes as {field: {from, to}}, references
// as {id, name}, and settings changes as one {from, to} per setting.

function named(value: unknown): string | null {
  if (typeof value === "object" && value !== null && "name" in value) {
    const name = (value as { name: unknown }).name;
    return typeof name === "string" ? name : null;
  }
  return null;
}

function short(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(short).join(", ");
  if (typeof value === "object") return named(value) ?? JSON.stringify(value);
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fields whose old and new values are not worth a line: long free text. */
const CHANGED_ONLY = new Set(["description"]);

/** One field of an edit (`{from, to}`), as "status: enabled → disabled". */
function describeChange(
  field: string,
  change: unknown,
  formatTime: (iso: string) => string,
): string {
  if (!isRecord(change) || !("from" in change) || !("to" in change) || CHANGED_ONLY.has(field))
    return `${field} changed`;
  const show = (value: unknown) =>
    field === "expiresAt"
      ? typeof value === "string"
        ? formatTime(value)
        : "never"
      : short(value);
  return `${field}: ${show(change.from)} → ${show(change.to)}`;
}

/**
 * A one-line, readable summary of an audit event's details: "from Member to Auditor",
 * "name: deploy → deploy-2 · status: enabled → disabled", "never expires". `formatTime` shows
 * the times in it (the web app: the reader's locale; the command line: UTC).
 */
export function summarizeAuditDetails(
  details: Record<string, unknown>,
  formatTime: (iso: string) => string = (iso) => new Date(iso).toLocaleString(),
): string {
  const parts: string[] = [];
  const from = named(details.from);
  const to = named(details.to);
  if (from || to) parts.push(`from ${from ?? "?"} to ${to ?? "?"}`);
  for (const [key, value] of Object.entries(details)) {
    if (key === "from" || key === "to") continue;
    if (key === "userId") continue;
    // A bulk action writes one row per token: {bulk: true, requested: <tokens in the action>}.
    if (key === "bulk") continue;
    if (key === "requested" && details.bulk === true && typeof value === "number") {
      parts.push(`in a bulk action on ${value} token${value === 1 ? "" : "s"}`);
      continue;
    }
    if (key === "knownBrowser") {
      if (value === true) parts.push("from a browser this user signed in on before");
      continue;
    }
    if (key === "expiresAt" && (typeof value === "string" || value === null)) {
      parts.push(value === null ? "never expires" : `expires ${formatTime(value)}`);
      continue;
    }
    if (key === "changes" && isRecord(value)) {
      for (const [field, change] of Object.entries(value))
        parts.push(describeChange(field, change, formatTime));
      continue;
    }
    // Settings changes are recorded as one {from, to} per setting.
    if (isRecord(value) && "from" in value && "to" in value) {
      parts.push(describeChange(key, value, formatTime));
      continue;
    }
    parts.push(`${key}: ${short(value)}`);
  }
  return parts.join(" · ");
}
