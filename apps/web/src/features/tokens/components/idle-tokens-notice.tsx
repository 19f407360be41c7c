import { countOf, TokenNotice, type TokenNoticeProps, useNoticeTokens } from "./token-notice.tsx";
import { noTokenFilters } from "./token-view.ts";

/** Days without use after which an enabled token is worth a second look. */
export const IDLE_DAYS = 90;

/**
 * Points out enabled tokens nobody has used for three months (never-used ones older than that
 * included): each is a working secret that may sit in an old script or a leaked file. Filters the
 * table down to them, oldest use first; hidden while the table shows exactly those.
 */
export function IdleTokensNotice(props: TokenNoticeProps) {
  const { mode, view, update } = props;
  const idle = useNoticeTokens(
    { lastUsed: `idle:${IDLE_DAYS}`, status: "enabled", sort: "lastUsedAt", limit: 1 },
    props,
  );
  const showing =
    view.lastUsed === "idle" && view.lastUsedDays === IDLE_DAYS && view.status === "enabled";
  if (!idle || idle.total === 0 || showing) return null;

  const { total } = idle;
  const count = countOf(idle);
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
