import type { ApiError } from "../../../lib/api-error.ts";

/**
 * Which form field a server refusal belongs to, so the message appears next to it. `null`: the
 * error concerns the whole form.
 */
export function fieldOfError<F extends string>(
  error: ApiError,
  fields: readonly F[],
): { field: F; message: string }[] | null {
  const known = (name: unknown): name is F => (fields as readonly unknown[]).includes(name);
  const byCode: Partial<Record<string, string>> = {
    token_name_taken: "name",
    expiry_in_past: "expiresAt",
    expiry_exceeds_max_lifetime: "expiresAt",
    expiry_required: "expiresAt",
    expiry_exceeds_caller: "expiresAt",
    scope_exceeds_caller: "scopes",
    user_not_found: "userId",
    // Creating for a user whose role exceeds the caller's.
    permissions_exceed_caller: "userId",
  };
  const field = byCode[error.code];
  if (field && known(field)) return [{ field, message: error.message }];
  if (error.code === "validation_failed") {
    const mapped = error.issues
      .map((issue) => ({ field: issue.path[0], message: issue.message }))
      .filter((issue): issue is { field: F; message: string } => known(issue.field));
    return mapped.length > 0 ? mapped : null;
  }
  return null;
}
