/** Query keys for roles: one list (roles are few), refreshed after every change. */
export const roleKeys = {
  all: ["roles"] as const,
  list: () => ["roles", "list"] as const,
};
