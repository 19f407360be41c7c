import type { Token } from "@keyward/contracts/tokens";
import { requireCaller, requireTokenAccess } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { findToken } from "./find-token.ts";
import { toTokenDto } from "./token-dto.ts";

/** One token, without its secret (which nobody can ever read again). */
export async function getToken(ctx: ServiceContext, tokenId: string): Promise<Token> {
  const principal = requireCaller(ctx);
  requireTokenAccess(principal, "token:read");
  return toTokenDto(await findToken(ctx.deps.db.db, principal, tokenId));
}
