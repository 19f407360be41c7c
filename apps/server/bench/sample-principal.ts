// A caller shaped like a bench token's (a Member with one scope), for the bench servers that answer
// what GET /api/v1/me answers without authenticating anyone.
import type { Principal } from "../src/auth/principal.ts";

export const samplePrincipal: Principal = {
  user: {
    id: "usr_b000000000082384",
    username: "user82384",
    displayName: "User 82384",
    email: "user82384@bench.test",
  },
  role: { id: "rol_member", name: "Member", permissions: ["tokens.own.manage"] },
  authMethod: "token",
  token: { id: "tok_000B4iYg6XEqTktW", scopes: ["all"], allow: [], expiresAt: null },
};
