import pino from "pino";

export type Logger = pino.Logger;

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
