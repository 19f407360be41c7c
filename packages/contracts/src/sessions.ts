import { z } from "zod";

/**
 * Command-line session tokens start with this prefix, so they are told apart from API tokens
 * (`kw_…`) in an Authorization header and recognised by secret scanners.
 */
export const CLI_TOKEN_PREFIX = "kws_";

export const sessionKindSchema = z.enum(["browser", "cli"]);
export type SessionKind = z.infer<typeof sessionKindSchema>;

/** One active session as its owner (or an administrator) sees it; never its secret. */
export const sessionSchema = z.object({
  id: z.string(),
  kind: sessionKindSchema,
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** True for the session that made this request. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionSchema>;

export const sessionListSchema = z.object({ items: z.array(sessionSchema) });
export type SessionList = z.infer<typeof sessionListSchema>;

export const endedSessionsSchema = z.object({
  /** How many sessions were ended. */
  ended: z.number().int(),
});
export type EndedSessions = z.infer<typeof endedSessionsSchema>;

/** The answer to POST /api/v1/auth/cli-token. The token is shown this once and never again. */
export const cliTokenSchema = z.object({
  token: z.string(),
  sessionId: z.string(),
  expiresAt: z.string(),
});
export type CliToken = z.infer<typeof cliTokenSchema>;
