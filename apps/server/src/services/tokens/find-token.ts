import type { DB, Transaction } from "@keyward/db/kysely";
import type { Database } from "@keyward/db/types";
import { canManageToken, canSeeToken } from "../../auth/authorize.ts";
import type { Principal } from "../../auth/principal.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { type TokenRow, tokenColumns, usageColumns } from "./token-dto.ts";

export function tokenNotFound(): NotFoundError {
  return new NotFoundError("token_not_found", "No such API token.");
}

/**
 * One token the caller may see, or 404 (also when it exists but is not theirs to see, so ids do
 * not leak). With `manage`, a token they may see but not change is 403. `forUpdate` locks the
 * row for the rest of the transaction.
 */
export async function findToken(
  db: DB | Transaction<Database>,
  principal: Principal,
  tokenId: string,
  options: { manage?: boolean; forUpdate?: boolean } = {},
): Promise<TokenRow> {
  let query = db
    .selectFrom("api_tokens as t")
    .innerJoin("api_token_usage as u", "u.token_id", "t.id")
    .select([...tokenColumns, ...usageColumns])
    .where("t.id", "=", tokenId);
  // The token's row only: its usage row stays free for the last-used writer.
  if (options.forUpdate) query = query.forUpdate(["t"]);
  const row = await query.executeTakeFirst();
  const ref = row && { id: row.id, userId: row.user_id };
  if (!row || !ref || !canSeeToken(principal, ref)) throw tokenNotFound();
  if (options.manage && !canManageToken(principal, ref)) {
    throw new ForbiddenError("You may see this API token but not change it.");
  }
  return row;
}
