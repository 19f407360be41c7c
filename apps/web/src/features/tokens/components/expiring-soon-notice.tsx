import { formatRelative } from "../../../lib/format.ts";
import { countOf, TokenNotice, type TokenNoticeProps, useNoticeTokens } from "./token-notice.tsx";
import { noTokenFilters } from "./token-view.ts";

/** Days ahead that count as "soon": a week leaves time to replace a token before it stops. */
export const SOON_DAYS = 7;

/**
 * Warns that enabled tokens stop working within a week (Keyward sends no mail), names the first
 * to go, and filters the table down to them. Hidden while the table shows exactly those.
 */
export function ExpiringSoonNotice(props: TokenNoticeProps) {
  const { mode, view, update } = props;
  const soon = useNoticeTokens(
    { expiry: `within:${SOON_DAYS}`, status: "enabled", sort: "expiresAt", limit: 1 },
    props,
  );
  const showing =
    view.expiry === "within" && view.withinDays === SOON_DAYS && view.status === "enabled";
  const first = soon?.items[0];
  if (!soon || !first || showing) return null;

  const { total } = soon;
  const count = countOf(soon);
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
