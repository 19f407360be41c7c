import type { ApiError } from "./api-error.ts";

/**
 * Which form fields a server refusal belongs to, so each message appears next to its field:
 * `byCode` names the field for codes about one field (`username_taken` → username), and a
 * `validation_failed` answer maps each issue by its path. `null`: the refusal concerns the whole
 * form and is shown above it.
 */
export function serverFieldErrors<F extends string>(
  error: ApiError,
  fields: readonly F[],
  byCode: Partial<Record<string, F>> = {},
): { field: F; message: string }[] | null {
  const known = (name: unknown): name is F => (fields as readonly unknown[]).includes(name);
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

/** Plain words for refusals an administrator can meet, keeping the server's own message. */
export function refusalTitle(error: ApiError): string {
  switch (error.code) {
    case "last_owner":
      return "Keyward needs at least one active Owner";
    case "permissions_exceed_caller":
      return "That goes beyond your own permissions";
    case "cannot_change_own_role":
      return "You cannot change your own role";
    case "cannot_disable_self":
      return "You cannot disable yourself";
    case "role_in_use":
      return "The role is still assigned";
    case "builtin_role":
      return "Built-in roles cannot be changed that way";
    case "forbidden":
      return "Not allowed";
    default:
      return "The change was not saved";
  }
}
