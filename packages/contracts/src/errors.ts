import { z } from "zod";

/**
 * The closed set of machine-readable error codes. Clients switch on these, so a code is never
 * renamed or reused for another meaning; add new ones instead.
 */
export const errorCodes = [
  "bad_request",
  "validation_failed",
  "malformed_json",
  "payload_too_large",
  "unauthenticated",
  "invalid_credentials",
  "wrong_password",
  "browser_session_required",
  "session_expired",
  "invalid_token",
  "csrf_failed",
  "forbidden",
  "not_found",
  "route_not_found",
  "method_not_allowed",
  "conflict",
  "username_taken",
  "token_name_taken",
  "token_not_found",
  "user_not_found",
  "role_not_found",
  "session_not_found",
  "expiry_in_past",
  "expiry_exceeds_max_lifetime",
  "expiry_required",
  "expiry_exceeds_caller",
  "scope_exceeds_caller",
  "insufficient_scope",
  "resource_not_allowed",
  "invalid_cursor",
  "export_too_large",
  "last_owner",
  "role_in_use",
  "builtin_role",
  "role_name_taken",
  "cannot_change_own_role",
  "cannot_disable_self",
  "cannot_reset_own_password",
  "permissions_exceed_caller",
  "setting_fixed_by_environment",
  "default_exceeds_max_lifetime",
  "rate_limited",
  "service_unavailable",
  "internal_error",
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const fieldIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string().optional(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    requestId: z.string(),
    issues: z.array(fieldIssueSchema).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
