import type { Permission } from "@keyward/contracts/permissions";

/** Who is asking, resolved once per request by the authentication middleware. */
export interface Principal {
  user: { id: string; username: string; displayName: string; email: string | null };
  role: { id: string; name: string; permissions: Permission[] };
  authMethod: "session" | "token";
  session?: { id: string; expiresAt: Date; kind: "browser" | "cli" };
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.role.permissions.includes(permission);
}
