import type { BulkTokensInput, BulkTokensResult } from "@keyward/contracts/tokens";
import { sql } from "@keyward/db/kysely";
import {
  canManageToken,
  canSeeToken,
  requireCaller,
  requireTokenAccess,
} from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { recordAuditMany } from "../audit/record-audit.ts";
import { ForbiddenError, ServiceError } from "../errors.ts";
import { requireTargetWithinCallerToken } from "./scope-containment.ts";

const MAX_LISTED_IDS = 20;

/**
 * Enables, disables or deletes many tokens, all or nothing, in one transaction of set-based
 * statements (`where id = any($1)`): a lock-and-check read, one UPDATE or DELETE, one INSERT of
 * audit rows. If any id is unknown or not the caller's to see, nothing changes (404); if the
 * caller may see but not change one, nothing changes (403).
 */
export async function bulkTokens(
  ctx: ServiceContext,
  input: BulkTokensInput,
): Promise<BulkTokensResult> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, input.action === "delete" ? "token:delete" : "token:update");
  const ids = [...new Set(input.ids)];
  const idArray = sql<string[]>`${ids}::text[]`;

  const result = await ctx.deps.db.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("api_tokens")
      .select(["id", "user_id", "name", "status", "scopes", "allow", "expires_at"])
      .where("id", "=", (eb) => eb.fn.any(idArray))
      .orderBy("id")
      .forUpdate()
      .execute();
    const found = new Map(rows.map((r) => [r.id, r]));
    const invisible = ids.filter((id) => {
      const row = found.get(id);
      return !row || !canSeeToken(principal, { id, userId: row.user_id });
    });
    if (invisible.length > 0) {
      const issues = invisible.slice(0, MAX_LISTED_IDS).map((id) => ({
        path: ["ids", input.ids.indexOf(id)],
        message: `No such API token: ${id}`,
      }));
      throw new ServiceError(
        404,
        "token_not_found",
        `${invisible.length} of the tokens do not exist or are not yours to see. Nothing was changed.`,
        issues,
      );
    }
    if (rows.some((r) => !canManageToken(principal, { id: r.id, userId: r.user_id }))) {
      throw new ForbiddenError(
        "You may see some of these API tokens but not change them. Nothing was changed.",
      );
    }
    // Switching tokens on is a change that gives rights back (disabling and deleting take away).
    if (input.action === "enable") {
      for (const row of rows) requireTargetWithinCallerToken(principal, row);
    }

    let changed: { id: string; name: string }[];
    if (input.action === "delete") {
      changed = await trx
        .deleteFrom("api_tokens")
        .where("id", "=", (eb) => eb.fn.any(idArray))
        .returning(["id", "name"])
        .execute();
    } else {
      const status = input.action === "enable" ? "enabled" : "disabled";
      changed = await trx
        .updateTable("api_tokens")
        .set({ status, updated_at: new Date() })
        .where("id", "=", (eb) => eb.fn.any(idArray))
        .where("status", "<>", status)
        .returning(["id", "name"])
        .execute();
    }
    await recordAuditMany(
      trx,
      ctx,
      {
        action: `token.${input.action}`,
        targetType: "token",
        details: { bulk: true, requested: ids.length },
      },
      changed,
    );
    if (changed.length > 0) {
      await ctx.deps.invalidation.publish(trx, { kind: "tokens", ids: changed.map((c) => c.id) });
    }
    return changed.map((c) => c.id);
  });

  ctx.deps.invalidation.apply({ kind: "tokens", ids: result });
  const changedSet = new Set(result);
  return {
    action: input.action,
    changed: result,
    unchanged: ids.filter((id) => !changedSet.has(id)),
  };
}
