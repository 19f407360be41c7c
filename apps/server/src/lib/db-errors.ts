// Errors that mean "the database is not there right now", as opposed to a bug in a query.
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300", // too_many_connections
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === "string" && unavailableCodes.has(e.code)) return true;
    if (
      typeof e.message === "string" &&
      /timeout exceeded when trying to connect|Connection terminated|connection.*(closed|refused)|not queryable|PGlite is closed/i.test(
        e.message,
      )
    )
      return true;
    if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true;
    current = e.cause;
  }
  return false;
}

/** Unique-constraint violation (SQLSTATE 23505), optionally on a named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code !== "23505") return false;
  if (!constraint) return true;
  return (
    e.constraint === constraint || (typeof e.message === "string" && e.message.includes(constraint))
  );
}

/** Foreign-key violation (SQLSTATE 23503): a referenced row is missing, or still referenced. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === "23503";
}
