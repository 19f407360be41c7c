export const sessionKeys = {
  own: () => ["sessions", "own"] as const,
};
