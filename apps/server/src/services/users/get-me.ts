import type { Me } from "@keyward/contracts/auth";
import type { Principal } from "../../auth/principal.ts";

export function toMe(principal: Principal): Me {
  return {
    id: principal.user.id,
    username: principal.user.username,
    displayName: principal.user.displayName,
    email: principal.user.email,
    role: principal.role,
    authMethod: principal.authMethod,
    sessionExpiresAt: principal.session?.expiresAt.toISOString() ?? null,
  };
}
