import { parseDuration } from "@keyward/contracts/duration";
import type { SettingsImpact } from "@keyward/contracts/settings";
import { sql } from "@keyward/db/kysely";
import { requireAllowedKind } from "../../auth/authorize.ts";
import type { ServiceContext } from "../../context.ts";
import { requireAccess } from "../admin-access.ts";
import { ValidationError } from "../errors.ts";
import { countCapped } from "../pagination.ts";
import { lifetime } from "./get-settings.ts";

/**
 * How many existing tokens a proposed maximum lifetime would exceed: those that never expire or
 * expire later than now + the maximum. They keep working; the policy applies to new and edited
 * tokens. Counted exactly up to the pagination cap, estimated beyond.
 */
export async function settingsImpact(
  ctx: ServiceContext,
  query: { maxTokenLifetime: string },
): Promise<SettingsImpact> {
  requireAllowedKind(requireAccess(ctx, "settings:read", "settings.manage"), "settings");
  const ms = parseDuration(query.maxTokenLifetime);
  if (ms === null) {
    const message = "Not a duration like 720h, 90d or 1h30m";
    throw new ValidationError(message, [{ path: ["maxTokenLifetime"], message }]);
  }
  const limit = new Date(Date.now() + ms);
  const db = ctx.deps.db.db;
  const rows = db
    .selectFrom("api_tokens")
    .select(sql<number>`1`.as("one"))
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", limit)]));
  const count = await countCapped(db, rows);
  return {
    maxLifetime: lifetime(ms),
    tokensExceeding: count.total,
    tokensExceedingIsEstimate: count.totalIsEstimate,
  };
}
