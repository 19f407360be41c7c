import type { Permission } from "@keyward/contracts/permissions";

/** One sentence per permission for the role checklist, from the product's permission table. */
export const permissionHints: Record<Permission, string> = {
  "tokens.own.manage":
    "Create, edit, regenerate, enable, disable and delete one's own tokens. Shows Profile → API tokens.",
  "tokens.all.read": "See every user's tokens, never their secrets.",
  "tokens.all.manage":
    "Change every user's tokens and create tokens on another user's behalf. Includes viewing them.",
  "users.manage": "Create users, disable and enable them, assign roles and reset passwords.",
  "roles.manage": "Create and edit roles and the permissions they grant.",
  "audit.read": "Read the audit log.",
  "settings.manage": "See and change the token and session policy.",
};

/** A permission that another one includes: checking the second checks (and locks) the first. */
export const impliedBy: Partial<Record<Permission, Permission>> = {
  "tokens.all.read": "tokens.all.manage",
};
