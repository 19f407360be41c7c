import type { TokenWithSecret } from "@keyward/contracts/tokens";
import { requireCaller, requireTokenAccess } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { generateTokenSecret, hashTokenSecret } from "../../lib/token-secret.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { findToken } from "./find-token.ts";
import { requireOwnerWithinCaller, requireTargetWithinCallerToken } from "./scope-containment.ts";
import { tokenColumns, toTokenDto, usageOf } from "./token-dto.ts";

/**
 * Replaces the secret in the same record (same id, name, scopes). The old secret stops working on
 * the next request; the new one is answered once.
 */
export async function regenerateToken(
  ctx: ServiceContext,
  tokenId: string,
): Promise<TokenWithSecret> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:update");
  const now = new Date();
  const { row, secret } = await ctx.deps.db.db.transaction().execute(async (trx) => {
    const current = await findToken(trx, principal, tokenId, { manage: true, forUpdate: true });
    // The new secret carries the token's rights: a token caller may not take up broader or
    // longer-lived ones than its own, nor anyone those of an owner whose role exceeds theirs.
    requireTargetWithinCallerToken(principal, current);
    await requireOwnerWithinCaller(trx, principal, current.user_id);
    // The public id is part of the secret, so it is drawn only for a token that exists.
    const secret = generateTokenSecret(tokenId);
    const updated = await trx
      .updateTable("api_tokens")
      .set({
        secret_hash: hashTokenSecret(ctx.deps.serverSecret, secret),
        secret_regenerated_at: now,
        updated_at: now,
      })
      .where("id", "=", tokenId)
      .returning(tokenColumns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "token.regenerate",
      targetType: "token",
      targetId: tokenId,
      targetName: updated.name,
      details: { userId: updated.user_id },
    });
    await ctx.deps.invalidation.publish(trx, { kind: "tokens", ids: [tokenId] });
    return { row: { ...updated, ...usageOf(current) }, secret };
  });
  ctx.deps.invalidation.apply({ kind: "tokens", ids: [tokenId] });
  return { token: toTokenDto(row), secret };
}
