import { ALL_SCOPE } from "@keyward/contracts/scopes";
import type { CreateTokenInput, TokenWithSecret } from "@keyward/contracts/tokens";
import { requireAllowedKind, requireCaller, requireTokenAccess } from "../../auth/authorize.ts";
import { hasPermission } from "../../auth/principal.ts";
import type { ServiceContext } from "../../context.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import { newId } from "../../lib/ids.ts";
import { generateTokenSecret, hashTokenSecret } from "../../lib/token-secret.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { ConflictError, ForbiddenError } from "../errors.ts";
import { expiryForNewToken } from "./expiry-policy.ts";
import {
  requireExpiryWithinCallerToken,
  requireOwnerWithinCaller,
  requireWithinCallerToken,
} from "./scope-containment.ts";
import { NEVER_USED, tokenColumns, toTokenDto } from "./token-dto.ts";

export function tokenNameTaken(): ConflictError {
  return new ConflictError(
    "token_name_taken",
    "This user already has an API token with that name.",
    [{ path: ["name"], message: "Already used by another of this user's tokens" }],
  );
}

/**
 * Creates a token and answers its secret, the only time anyone sees it. The owner defaults to
 * the caller; another owner needs `tokens.all.manage` and a role of the caller's that covers
 * theirs.
 */
export async function createToken(
  ctx: ServiceContext,
  input: CreateTokenInput,
): Promise<TokenWithSecret> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:create");
  requireAllowedKind(principal, "token");
  const ownerId = input.userId ?? principal.user.id;
  const mayCreate =
    hasPermission(principal, "tokens.all.manage") ||
    (ownerId === principal.user.id && hasPermission(principal, "tokens.own.manage"));
  if (!mayCreate) {
    throw new ForbiddenError(
      ownerId === principal.user.id
        ? "Your role does not allow managing API tokens."
        : 'Creating API tokens for another user needs the "Manage all users\' API tokens" permission.',
    );
  }
  const scopes = input.scopes ?? [ALL_SCOPE];
  const allow = input.allow ?? [];
  requireWithinCallerToken(principal, { scopes, allow });

  const now = new Date();
  let expiresAt = expiryForNewToken(await ctx.deps.policy.get(), input.expiresAt, now);
  // A token caller's own expiry bounds the new token's: the default lifetime is cut to it, and a
  // later expiry asked for is refused.
  const callerExpiry = principal.token?.expiresAt;
  if (input.expiresAt === undefined && callerExpiry && (!expiresAt || expiresAt > callerExpiry))
    expiresAt = callerExpiry;
  requireExpiryWithinCallerToken(principal, expiresAt);
  const { db } = ctx.deps.db;
  const owner = await requireOwnerWithinCaller(db, principal, ownerId);

  const id = newId("tok");
  const secret = generateTokenSecret(id);
  try {
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("api_tokens")
        .values({
          id,
          user_id: owner.id,
          user_name: owner.username,
          created_by: principal.user.id,
          created_by_name: principal.user.username,
          name: input.name,
          description: input.description ?? "",
          secret_hash: hashTokenSecret(ctx.deps.serverSecret, secret),
          status: input.enabled === false ? "disabled" : "enabled",
          scopes,
          allow,
          expires_at: expiresAt,
          created_at: now,
          updated_at: now,
        })
        .returning(tokenColumns)
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "token.create",
        targetType: "token",
        targetId: id,
        targetName: inserted.name,
        details: {
          userId: owner.id,
          status: inserted.status,
          expiresAt: expiresAt?.toISOString() ?? null,
          scopes,
          allow,
        },
      });
      return inserted;
    });
    return { token: toTokenDto({ ...row, ...NEVER_USED }), secret };
  } catch (error) {
    if (isUniqueViolation(error, "api_tokens_user_name_key")) throw tokenNameTaken();
    throw error;
  }
}
