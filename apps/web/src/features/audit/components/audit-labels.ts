import type { AuditEvent } from "@keyward/contracts/audit";

/** Every action the server records, grouped as the filter offers them, with plain labels. */
export const auditActionGroups: readonly { label: string; actions: Record<string, string> }[] = [
  {
    label: "Sign-in",
    actions: {
      "auth.login": "Signed in",
      "auth.login_failed": "Failed sign-in",
      "auth.logout": "Signed out",
    },
  },
  {
    label: "API tokens",
    actions: {
      "token.create": "Token created",
      "token.update": "Token edited",
      "token.enable": "Token enabled",
      "token.disable": "Token disabled",
      "token.regenerate": "Token secret regenerated",
      "token.delete": "Token deleted",
    },
  },
  {
    label: "Users",
    actions: {
      "user.created": "User created",
      "user.updated": "User edited",
      "user.role_changed": "Role changed",
      "user.disabled": "User disabled",
      "user.enabled": "User enabled",
      "user.password_reset": "Password reset",
      "user.password_changed": "Own password changed",
      "user.password_change_failed": "Wrong current password",
      "user.sessions_ended": "Signed out everywhere",
    },
  },
  {
    label: "Roles",
    actions: {
      "role.created": "Role created",
      "role.updated": "Role edited",
      "role.deleted": "Role deleted",
    },
  },
  {
    label: "Sessions",
    actions: {
      "session.ended": "Session ended",
      "session.cli_token_issued": "Command-line token issued",
    },
  },
  {
    label: "Settings",
    actions: { "settings.updated": "Settings changed" },
  },
  {
    label: "Audit log",
    actions: { "audit.export": "Audit log exported" },
  },
];

const actionLabels: Record<string, string> = Object.assign(
  {},
  ...auditActionGroups.map((group) => group.actions),
);

/** "Token created" for `token.create`; unknown (newer) actions show their code. */
export function actionLabel(action: string): string {
  return actionLabels[action] ?? action;
}

export type ActionTone = "neutral" | "danger" | "success" | "warning";

export function actionTone(action: string): ActionTone {
  if (/login_failed|change_failed|delete|disable|deleted|disabled/.test(action)) return "danger";
  if (/create|created|enable|enabled|issued/.test(action)) return "success";
  if (/regenerate|password_reset|password_change|role_changed|sessions_ended/.test(action))
    return "warning";
  return "neutral";
}

export const targetTypeLabels: Record<string, string> = {
  token: "API token",
  user: "User",
  role: "Role",
  session: "Session",
  settings: "Settings",
};

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
function describeChange(field: string, change: unknown): string {
  if (!isRecord(change) || !("from" in change) || !("to" in change) || CHANGED_ONLY.has(field))
    return `${field} changed`;
  const show = (value: unknown) =>
    field === "expiresAt"
      ? typeof value === "string"
        ? new Date(value).toLocaleString()
        : "never"
      : short(value);
  return `${field}: ${show(change.from)} → ${show(change.to)}`;
}

/** A one-line, readable summary of an event's details ("from Member to Auditor"). */
export function detailsSummary(event: AuditEvent): string {
  const { details } = event;
  const parts: string[] = [];
  const from = named(details.from);
  const to = named(details.to);
  if (from || to) parts.push(`from ${from ?? "?"} to ${to ?? "?"}`);
  for (const [key, value] of Object.entries(details)) {
    if (key === "from" || key === "to") continue;
    if (key === "userId") continue;
    if (key === "knownBrowser") {
      if (value === true) parts.push("from a browser this user signed in on before");
      continue;
    }
    if (key === "expiresAt" && (typeof value === "string" || value === null)) {
      parts.push(value === null ? "never expires" : `expires ${new Date(value).toLocaleString()}`);
      continue;
    }
    if (key === "changes" && isRecord(value)) {
      for (const [field, change] of Object.entries(value))
        parts.push(describeChange(field, change));
      continue;
    }
    // Settings changes are recorded as one {from, to} per setting.
    if (isRecord(value) && "from" in value && "to" in value) {
      parts.push(describeChange(key, value));
      continue;
    }
    parts.push(`${key}: ${short(value)}`);
  }
  return parts.join(" · ");
}
