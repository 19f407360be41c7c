import type { AuditEvent } from "@keyward/contracts/audit";
import { summarizeAuditDetails } from "@keyward/contracts/audit-details";

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

/** A one-line, readable summary of an event's details ("from Member to Auditor"). */
export function detailsSummary(event: AuditEvent): string {
  return summarizeAuditDetails(event.details);
}
