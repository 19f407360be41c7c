import { z } from "zod";

export const permissions = [
  "tokens.own.manage",
  "tokens.all.read",
  "tokens.all.manage",
  "users.manage",
  "roles.manage",
  "audit.read",
  "settings.manage",
] as const;

export const permissionSchema = z.enum(permissions);
export type Permission = z.infer<typeof permissionSchema>;

/** Human labels, as an administrator sees them on the role form. */
export const permissionLabels: Record<Permission, string> = {
  "tokens.own.manage": "Manage API tokens",
  "tokens.all.read": "View all users' API tokens",
  "tokens.all.manage": "Manage all users' API tokens",
  "users.manage": "Manage users",
  "roles.manage": "Manage roles",
  "audit.read": "Read the audit log",
  "settings.manage": "Manage token and session policy",
};

export type BuiltInRoleKey = "owner" | "admin" | "auditor" | "member" | "guest";

export interface BuiltInRole {
  id: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

/** The roles every deployment starts with. Their ids are stable so code and seeds can name them. */
export const builtInRoles: Record<BuiltInRoleKey, BuiltInRole> = {
  owner: {
    id: "rol_owner",
    name: "Owner",
    description: "Everything. There is always at least one active owner.",
    permissions: permissions,
  },
  admin: {
    id: "rol_admin",
    name: "Admin",
    description: "Manages users and every user's API tokens.",
    permissions: [
      "tokens.all.manage",
      "tokens.all.read",
      "tokens.own.manage",
      "users.manage",
      "audit.read",
    ],
  },
  auditor: {
    id: "rol_auditor",
    name: "Auditor",
    description: "Reads every token and the audit log; changes nothing.",
    permissions: ["tokens.all.read", "audit.read"],
  },
  member: {
    id: "rol_member",
    name: "Member",
    description: "Manages their own API tokens.",
    permissions: ["tokens.own.manage"],
  },
  guest: {
    id: "rol_guest",
    name: "Guest",
    description: "Signs in; no token self-service.",
    permissions: [],
  },
};

/** `tokens.all.manage` implies reading all tokens; the rest stand alone. */
export function expandPermissions(granted: readonly Permission[]): Permission[] {
  const set = new Set<Permission>(granted);
  if (set.has("tokens.all.manage")) set.add("tokens.all.read");
  return permissions.filter((p) => set.has(p));
}
