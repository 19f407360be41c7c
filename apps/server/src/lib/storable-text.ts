// Text that PostgreSQL cannot store must be refused as bad input before it reaches a query, or
// the query fails (SQLSTATE 22021 or 22P05) and the client gets a 500:
// - U+0000: PostgreSQL text cannot hold it;
// - a lone UTF-16 surrogate (JSON allows "\ud800"): it has no UTF-8 form, and how a driver
//   encodes it differs (pg writes U+FFFD, PGlite can write invalid UTF-8 that the server refuses).
// Every validated request input and every decoded cursor is checked with this.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes("\u0000")) return "Must not contain the NUL character (U+0000)";
  if (LONE_SURROGATE.test(text)) return "Must be valid Unicode (no unpaired surrogate)";
  return undefined;
}

/** The first string (value or object key) that cannot be stored, with its path. */
export function findUnstorableText(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; message: string } | undefined {
  if (typeof value === "string") {
    const message = unstorableReason(value);
    return message ? { path, message } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const message = unstorableReason(key);
      if (message) return { path: [...path, key], message };
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
