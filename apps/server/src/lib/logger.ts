import pino from "pino";

export type Logger = pino.Logger;

// A Keyward secret (`kw_…` API token, `kws_…` command-line token) in text a client chose.
const SECRET_SHAPE = /(kws?)_[0-9A-Za-z_-]{20,}/g;

/**
 * A request path is the one logged field a client writes freely, and a secret pasted where an
 * id belongs (`GET /api/v1/tokens/kw_…`) would land in the log with it: such text is replaced.
 * The `includes` test keeps the common case (no `kw`) to one scan of a short string.
 */
function scrubPath(object: Record<string, unknown>): Record<string, unknown> {
  const path = object.path;
  if (typeof path !== "string" || !path.includes("kw")) return object;
  const scrubbed = path.replace(SECRET_SHAPE, "$1_[redacted]");
  return scrubbed === path ? object : { ...object, path: scrubbed };
}

/**
 * Structured JSON logs on stdout. Request bodies are never logged; the redaction list is a second
 * line of defence should a secret-bearing field ever be passed to the logger by mistake.
 */
export function createLogger(
  level: pino.LevelWithSilent,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service: "keyward" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: scrubPath },
      redact: {
        paths: [
          "password",
          "*.password",
          "secret",
          "*.secret",
          "token",
          "*.token",
          "cookie",
          "*.cookie",
          "authorization",
          "*.authorization",
          "headers.cookie",
          "headers.authorization",
          // PGlite attaches a failed query's parameters to its error: every value the query
          // carried (password and secret hashes, user input) would land in the 500 log line.
          "err.params",
          "*.err.params",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
