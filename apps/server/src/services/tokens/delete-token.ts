import { requireCaller, requireTokenAccess } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { findToken } from "./find-token.ts";

/** Deletes a token; every service using it is refused from the next request on. */
export async function deleteToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:delete");
  await ctx.deps.db.db.transaction().execute(async (trx) => {
    const current = await findToken(trx, principal, tokenId, { manage: true, forUpdate: true });
    await trx.deleteFrom("api_tokens").where("id", "=", tokenId).execute();
    await recordAudit(trx, ctx, {
      action: "token.delete",
      targetType: "token",
      targetId: tokenId,
      targetName: current.name,
      details: { userId: current.user_id },
    });
    await ctx.deps.invalidation.publish(trx, { kind: "tokens", ids: [tokenId] });
  });
  ctx.deps.invalidation.apply({ kind: "tokens", ids: [tokenId] });
}
