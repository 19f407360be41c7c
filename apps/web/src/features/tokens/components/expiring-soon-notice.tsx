import type { ListTokensQuery } from "@keyward/contracts/tokens";
import { useQuery } from "@tanstack/react-query";
import { formatRelative } from "../../../lib/format.ts";
import { listTokensQueryOptions } from "../api/list-tokens.ts";
import { TokenNotice } from "./token-notice.tsx";
import { noTokenFilters, type TokenView, type TokenViewApi } from "./token-view.ts";

/** Days ahead that count as "soon": a week leaves time to replace a token before it stops. */
export const SOON_DAYS = 7;

/**
 * Warns that enabled tokens stop working within a week (Keyward sends no mail), names the first
 * to go, and filters the table down to them. Hidden while the table shows exactly those.
 */
export function ExpiringSoonNotice({
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
    expiry: `within:${SOON_DAYS}`,
    status: "enabled",
    sort: "expiresAt",
    limit: 1,
    ...(mode === "own" ? { userId: [ownUserId] } : {}),
  };
  const soon = useQuery({ ...listTokensQueryOptions(query), placeholderData: undefined });
  const showing =
    view.expiry === "within" && view.withinDays === SOON_DAYS && view.status === "enabled";
  const first = soon.data?.items[0];
  if (!soon.data || !first || showing) return null;

  const { total, totalIsEstimate } = soon.data;
  const count = `${totalIsEstimate ? "About " : ""}${total.toLocaleString("en")}`;
  const subject =
    mode === "own"
      ? `${count} of your API tokens ${total === 1 ? "stops" : "stop"} working`
      : `${count} enabled API ${total === 1 ? "token stops" : "tokens stop"} working`;
  const owner = mode === "admin" ? ` (${first.userName})` : "";
  const when = first.expiresAt ? formatRelative(first.expiresAt) : "soon";
  return (
    <TokenNotice
      tone="warning"
      icon="clock"
      showLabel={`Show ${total === 1 ? "it" : "them"}`}
      onShow={() =>
        update({
          ...noTokenFilters,
          status: "enabled",
          expiry: "within",
          withinDays: SOON_DAYS,
          sort: "expiresAt",
        })
      }
    >
      <strong>
        {subject} within {SOON_DAYS} days.
      </strong>{" "}
      {total === 1 ? (
        <>
          <code className="code code-inline">{first.name}</code>
          {owner} expires {when}.
        </>
      ) : (
        <>
          The first, <code className="code code-inline">{first.name}</code>
          {owner}, expires {when}.
        </>
      )}{" "}
      Extend the expiry or replace the token before the services using it fail.
    </TokenNotice>
  );
}
