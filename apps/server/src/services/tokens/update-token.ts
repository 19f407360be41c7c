import type { Token, UpdateTokenInput } from "@keyward/contracts/tokens";
import { requireCaller, requireTokenAccess } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { tokenNameTaken } from "./create-token.ts";
import { checkExpiry } from "./expiry-policy.ts";
import { findToken } from "./find-token.ts";
import {
  requireExpiryWithinCallerToken,
  requireTargetWithinCallerToken,
  requireWithinCallerToken,
} from "./scope-containment.ts";
import { type TokenRow, tokenColumns, toTokenDto, usageOf } from "./token-dto.ts";

type Change = { from: unknown; to: unknown };

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * Edits name, description, expiry, status, scopes or allow list; never the owner. The change,
 * its audit row and the cache invalidation happen together; the token's next use sees it.
 */
export async function updateToken(
  ctx: ServiceContext,
  tokenId: string,
  input: UpdateTokenInput,
): Promise<Token> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:update");
  requireWithinCallerToken(principal, { scopes: input.scopes, allow: input.allow });
  const now = new Date();
  const expiresAt =
    input.expiresAt !== undefined
      ? checkExpiry(await ctx.deps.policy.get(), input.expiresAt, now)
      : undefined;
  if (expiresAt !== undefined) requireExpiryWithinCallerToken(principal, expiresAt);
  const { db } = ctx.deps.db;

  try {
    const row = await db.transaction().execute(async (trx) => {
      const current = await findToken(trx, principal, tokenId, { manage: true, forUpdate: true });
      const onlyDisabling = Object.entries(input).every(
        ([field, value]) => value === undefined || (field === "status" && value === "disabled"),
      );
      if (!onlyDisabling) requireTargetWithinCallerToken(principal, current);
      const changes: Record<string, Change> = {};
      const set: Partial<
        Pick<TokenRow, "name" | "description" | "expires_at" | "status" | "scopes" | "allow">
      > = {};
      if (input.name !== undefined && input.name !== current.name) {
        changes.name = { from: current.name, to: input.name };
        set.name = input.name;
      }
      if (input.description !== undefined && input.description !== current.description) {
        changes.description = { from: current.description, to: input.description };
        set.description = input.description;
      }
      if (expiresAt !== undefined && expiresAt?.getTime() !== current.expires_at?.getTime()) {
        changes.expiresAt = {
          from: current.expires_at?.toISOString() ?? null,
          to: expiresAt?.toISOString() ?? null,
        };
        set.expires_at = expiresAt;
      }
      if (input.status !== undefined && input.status !== current.status) {
        changes.status = { from: current.status, to: input.status };
        set.status = input.status;
      }
      if (input.scopes !== undefined && !sameList(input.scopes, current.scopes)) {
        changes.scopes = { from: current.scopes, to: input.scopes };
        set.scopes = input.scopes;
      }
      if (input.allow !== undefined && !sameList(input.allow, current.allow)) {
        changes.allow = { from: current.allow, to: input.allow };
        set.allow = input.allow;
      }
      const fields = Object.keys(changes);
      if (fields.length === 0) return current;

      const updated = await trx
        .updateTable("api_tokens")
        .set({ ...set, updated_at: now })
        .where("id", "=", tokenId)
        .returning(tokenColumns)
        .executeTakeFirstOrThrow();
      // A status flip on its own reads better in the log as what it is.
      const action =
        fields.length === 1 && set.status
          ? set.status === "enabled"
            ? "token.enable"
            : "token.disable"
          : "token.update";
      await recordAudit(trx, ctx, {
        action,
        targetType: "token",
        targetId: tokenId,
        targetName: updated.name,
        details: { userId: updated.user_id, changes },
      });
      await ctx.deps.invalidation.publish(trx, { kind: "tokens", ids: [tokenId] });
      return { ...updated, ...usageOf(current) };
    });
    ctx.deps.invalidation.apply({ kind: "tokens", ids: [tokenId] });
    return toTokenDto(row);
  } catch (error) {
    if (isUniqueViolation(error, "api_tokens_user_name_key")) throw tokenNameTaken();
    throw error;
  }
}
