import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { errorEnvelopeSchema } from "@keyward/contracts/errors";
import type { AppEnv } from "../context.ts";
import { findUnstorableText } from "../lib/storable-text.ts";
import { ValidationError } from "../services/errors.ts";

export function toFieldIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "number" ? p : String(p))),
    message: issue.message,
    code: issue.code,
  }));
}

type HookResult = { success: true; data: unknown } | { success: false; error: z.ZodError };

/** Turns a failed validation into the shared 400 envelope. */
export function refuseInvalid(result: HookResult): undefined {
  if (!result.success) {
    throw new ValidationError(
      "The request is not valid. See issues for each field.",
      toFieldIssues(result.error),
    );
  }
  return undefined;
}

/**
 * The default for every route: refuses invalid input, and also valid input with text that
 * PostgreSQL cannot store (U+0000, an unpaired surrogate), which would otherwise fail inside a
 * query as a 500. A route whose input never reaches the database may use refuseInvalid alone.
 */
export function refuseInvalidOrUnstorable(result: HookResult): undefined {
  refuseInvalid(result);
  const found = result.success ? findUnstorableText(result.data) : undefined;
  if (found) {
    throw new ValidationError("The request is not valid. See issues for each field.", [
      { path: found.path, message: found.message, code: "invalid_string" },
    ]);
  }
  return undefined;
}

/** A sub-app whose request validation failures become the shared 400 envelope. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: refuseInvalidOrUnstorable });
}

const errorContent = { "application/json": { schema: errorEnvelopeSchema } };

const errorDescriptions = {
  400: "Bad input: `validation_failed` with field issues, `malformed_json`, or a request the route refuses (its own code, such as `export_too_large`)",
  401: "Not signed in (`unauthenticated`), the session ended (`session_expired`), or the Bearer token does not work (`invalid_token`)",
  403: "Signed in but not allowed (`forbidden`, `csrf_failed`), or the API token lacks the scope (`insufficient_scope`) or the resource on its allow list (`resource_not_allowed`)",
  404: "Not found, or not visible to the caller",
  409: "Conflicts with existing data",
  429: "Too many attempts (`rate_limited`); see Retry-After",
  503: "The database is not reachable (`service_unavailable`)",
} as const;

export function errorResponses<S extends keyof typeof errorDescriptions>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: errorDescriptions[s], content: errorContent }]),
  ) as unknown as { [K in S]: { description: string; content: typeof errorContent } };
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** Security requirement for routes that need a signed-in caller (cookie or bearer). */
export const authenticated: Record<string, string[]>[] = [{ cookieAuth: [] }, { bearerAuth: [] }];
