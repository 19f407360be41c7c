import type { Token } from "@keyward/contracts/tokens";
import { formatDate, formatDateTime, formatRelative } from "../../../lib/format.ts";

const SOON_MS = 7 * 24 * 3600 * 1000;

export type ExpiryState = "never" | "expired" | "soon" | "later";

export function expiryState(
  token: Pick<Token, "expiresAt" | "expired">,
  now = Date.now(),
): ExpiryState {
  if (token.expiresAt === null) return "never";
  const at = Date.parse(token.expiresAt);
  if (token.expired || at <= now) return "expired";
  return at - now <= SOON_MS ? "soon" : "later";
}

/** The expiry column: a date with "never", "expired" and "expires soon" made unmistakable. */
export function ExpiryCell({ token }: { token: Pick<Token, "expiresAt" | "expired"> }) {
  const state = expiryState(token);
  if (state === "never") return <span className="muted">Never</span>;
  return (
    <span className={state === "later" ? undefined : "expiry-cell"}>
      <time
        dateTime={token.expiresAt ?? undefined}
        title={`${formatDateTime(token.expiresAt)} (${formatRelative(token.expiresAt)})`}
      >
        {formatDate(token.expiresAt)}
      </time>
      {state === "expired" ? <span className="badge badge-danger">Expired</span> : null}
      {state === "soon" ? (
        <span className="badge badge-warning">{formatRelative(token.expiresAt)}</span>
      ) : null}
    </span>
  );
}
