import {
  allowListPermits,
  type ScopeResource,
  scopeResources,
  scopesCover,
} from "@keyward/contracts/scopes";
import type { VerifyTokenInput, VerifyTokenResult } from "@keyward/contracts/tokens";
import { isRequiredScope, roleAllowsScope } from "../../auth/authorize.ts";
import { checkTokenSecret } from "../../auth/token-auth.ts";
import type { ServiceContext } from "../../context.ts";
import { ValidationError } from "../errors.ts";

function parseResource(text: string): { kind: ScopeResource; id: string } | null {
  const match = /^([a-z]+):([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match?.[1] || !match[2] || !Object.hasOwn(scopeResources, match[1])) return null;
  return { kind: match[1] as ScopeResource, id: match[2] };
}

/**
 * A scope asked about without a resource, as a request to Keyward meets it (authorize.ts): an
 * allow list must name some resource of that kind (a list is narrowed to them), and `kind:*` to
 * create one, which has no id yet.
 */
function allowListAdmitsScope(allow: readonly string[], scope: string): boolean {
  if (allow.length === 0) return true;
  const [kind, action] = scope.split(":");
  if (allow.includes(`${kind}:*`)) return true;
  return action !== "create" && allow.some((entry) => entry.startsWith(`${kind}:`));
}

/**
 * For other services: is this token good, optionally for one scope and one resource? Answers the
 * same as a request to Keyward with the token would: the owner's role ∩ the token's scopes ∩ its
 * allow list. Anyone may ask (holding the secret is the credential); failures are slowed per
 * address like Bearer failures (docs/decisions/0009).
 */
export async function verifyToken(
  ctx: ServiceContext,
  input: VerifyTokenInput,
): Promise<VerifyTokenResult> {
  const { deps, meta } = ctx;
  if (input.scope !== undefined && !isRequiredScope(input.scope)) {
    throw new ValidationError(
      "scope must be one resource:action from GET /api/v1/scopes, e.g. token:read.",
      [{ path: ["scope"], message: "Not a resource:action scope" }],
    );
  }
  const resource = input.resource === undefined ? undefined : parseResource(input.resource);
  if (resource === null) {
    throw new ValidationError("resource must look like token:tok_… or user:usr_….", [
      { path: ["resource"], message: "Not a resource:id" },
    ]);
  }
  const check = await checkTokenSecret(deps, input.token, { limitedAddress: meta.ip });
  if (!check.ok) {
    if (!check.record) {
      deps.tokenLimiter.recordFailure(meta.ip);
      return { valid: false, reason: check.reason };
    }
    return {
      valid: false,
      reason: check.reason,
      tokenId: check.record.id,
      userId: check.record.userId,
    };
  }
  const { record } = check;
  const who = { tokenId: record.id, userId: record.userId, scopes: record.scopes };
  if (input.scope && isRequiredScope(input.scope)) {
    const granted =
      scopesCover(record.scopes, input.scope) &&
      roleAllowsScope(record.owner.role.permissions, input.scope);
    if (!granted) return { valid: false, reason: "insufficient_scope", ...who };
  }
  if (resource && !allowListPermits(record.allow, resource.kind, resource.id)) {
    return { valid: false, reason: "resource_not_allowed", ...who };
  }
  if (!resource && input.scope && !allowListAdmitsScope(record.allow, input.scope)) {
    return { valid: false, reason: "resource_not_allowed", ...who };
  }
  // A verification is a use of the token, seen from the verifying service's address.
  deps.lastUsed.record(record.id, meta.ip, meta.userAgent);
  return { valid: true, ...who };
}
