import { allowListWithin, scopeSetWithin } from "@keyward/contracts/scopes";
import type { Principal } from "../../auth/principal.ts";
import { ForbiddenError } from "../errors.ts";

/**
 * A token may never give a token more than it has itself: its scopes must cover the new scopes,
 * and if it has an allow list, the new allow list must fit inside it. Session callers are
 * bounded by their role, which scopes cannot exceed anyway.
 */
export function requireWithinCallerToken(
  principal: Principal,
  wanted: { scopes?: readonly string[] | undefined; allow?: readonly string[] | undefined },
): void {
  const own = principal.token;
  if (!own) return;
  if (wanted.scopes && !scopeSetWithin(wanted.scopes, own.scopes)) {
    throw new ForbiddenError(
      "An API token cannot grant scopes broader than its own.",
      "scope_exceeds_caller",
    );
  }
  if (wanted.allow && !allowListWithin(wanted.allow, own.allow)) {
    throw new ForbiddenError(
      "An API token cannot grant an allow list broader than its own.",
      "scope_exceeds_caller",
    );
  }
}
