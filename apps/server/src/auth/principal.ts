import type { Permission } from "@keyward/contracts/permissions";

/** Who is asking, resolved once per request by the authentication middleware. */
export interface Principal {
  user: { id: string; username: string; displayName: string; email: string | null };
  /** The user's role. For a token caller this is the owner's role, read on every request. */
  role: { id: string; name: string; permissions: Permission[] };
  authMethod: "session" | "token";
  session?: { id: string; expiresAt: Date; kind: "browser" | "cli" };
  /** Set when the request authenticated with an API token: what the token narrows rights to. */
  token?: { id: string; scopes: string[]; allow: string[]; expiresAt: Date | null };
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.role.permissions.includes(permission);
}
