import type { ListTokensQuery } from "@keyward/contracts/tokens";
import { useQuery } from "@tanstack/react-query";
import { listTokensQueryOptions } from "../api/list-tokens.ts";
import { TokenNotice } from "./token-notice.tsx";
import { noTokenFilters, type TokenView, type TokenViewApi } from "./token-view.ts";

/** Days without use after which an enabled token is worth a second look. */
export const IDLE_DAYS = 90;

/**
 * Points out enabled tokens nobody has used for three months (never-used ones older than that
 * included): each is a working secret that may sit in an old script or a leaked file. Filters the
 * table down to them, oldest use first; hidden while the table shows exactly those.
 */
export function IdleTokensNotice({
  mode,
  ownUserId,
  view,
  update,
}: {
  mode: "admin" | "own";
  ownUserId: string;
  view: TokenView;
  update: TokenViewApi["update"];
}) {
  const query: ListTokensQuery = {
    lastUsed: `idle:${IDLE_DAYS}`,
    status: "enabled",
    sort: "lastUsedAt",
    limit: 1,
    ...(mode === "own" ? { userId: [ownUserId] } : {}),
  };
  const idle = useQuery({ ...listTokensQueryOptions(query), placeholderData: undefined });
  const showing =
    view.lastUsed === "idle" && view.lastUsedDays === IDLE_DAYS && view.status === "enabled";
  if (!idle.data || idle.data.total === 0 || showing) return null;

  const { total, totalIsEstimate } = idle.data;
  const count = `${totalIsEstimate ? "About " : ""}${total.toLocaleString("en")}`;
  const subject =
    mode === "own"
      ? `${count} of your enabled API tokens ${total === 1 ? "has" : "have"} not been used`
      : `${count} enabled API ${total === 1 ? "token has" : "tokens have"} not been used`;
  return (
    <TokenNotice
      tone="info"
      icon="info"
      showLabel={`Show ${total === 1 ? "it" : "them"}`}
      onShow={() =>
        update({
          ...noTokenFilters,
          status: "enabled",
          lastUsed: "idle",
          lastUsedDays: IDLE_DAYS,
          sort: "lastUsedAt",
        })
      }
    >
      <strong>
        {subject} for {IDLE_DAYS} days or more.
      </strong>{" "}
      A token nobody uses still opens the API to whoever holds its secret: disable or delete the
      ones no longer needed.
    </TokenNotice>
  );
}
