import type { SessionInfo } from "@keyward/contracts/sessions";
import type { ReactNode } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { SkeletonRows, TableMessageRow } from "../../../components/ui/table-states.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { describeUserAgent, sessionKindLabels } from "./describe-session.ts";

export interface SessionsTableProps {
  /** Accessible name of the table, e.g. "Your sessions". */
  label: string;
  sessions: readonly SessionInfo[] | undefined;
  loading: boolean;
  /** Shown in place of rows: a load error or an empty state. */
  message?: ReactNode;
  /** The session whose "End" is in flight. */
  endingId?: string | null;
  onEnd: (session: SessionInfo) => void;
  /** Mark the session making this request ("This session"); ending it signs this browser out. */
  markCurrent?: boolean;
}

function Time({ value }: { value: string }) {
  return (
    <time dateTime={value} title={formatDateTime(value)}>
      {formatRelative(value)}
    </time>
  );
}

/** Active sessions: what kind, from where, since when, and a button to end each. */
export function SessionsTable({
  label,
  sessions,
  loading,
  message,
  endingId = null,
  onEnd,
  markCurrent = false,
}: SessionsTableProps) {
  const columns = 6;
  let body: ReactNode;
  if (loading) body = <SkeletonRows columns={columns} rows={3} />;
  else if (message) body = <TableMessageRow columns={columns}>{message}</TableMessageRow>;
  else
    body = (sessions ?? []).map((session) => {
      const current = markCurrent && session.current;
      const device = describeUserAgent(session.userAgent);
      return (
        <tr key={session.id} className={current ? "row-current" : undefined}>
          <td>
            <div className="session-kind">
              <Icon name={session.kind === "cli" ? "terminal" : "monitor"} size={18} />
              <span className="session-kind-text">
                <span className="session-kind-label">{sessionKindLabels[session.kind]}</span>
                {current ? <span className="badge badge-accent">This session</span> : null}
              </span>
            </div>
          </td>
          <td className="col-device">
            <span className="session-device" title={session.userAgent ?? undefined}>
              {device}
            </span>
            <span className="details-sub">{session.ip ?? "Unknown address"}</span>
          </td>
          <td>
            <Time value={session.createdAt} />
          </td>
          <td>
            <Time value={session.lastSeenAt} />
          </td>
          <td>
            <Time value={session.expiresAt} />
          </td>
          <td className="col-actions-wide">
            <Button
              size="sm"
              variant={current ? "secondary" : "ghost"}
              className={current ? undefined : "btn-danger-ghost"}
              onClick={() => onEnd(session)}
              pending={endingId === session.id}
              pendingLabel="Ending…"
              aria-label={
                current
                  ? "End this session (you will be signed out)"
                  : `End ${sessionKindLabels[session.kind].toLowerCase()} session on ${device}, started ${formatDateTime(session.createdAt)}`
              }
              leading={<Icon name={current ? "signOut" : "close"} size={14} />}
            >
              End
            </Button>
          </td>
        </tr>
      );
    });

  return (
    <div className="table-scroll">
      <table className="data-table" aria-label={label} aria-busy={loading || undefined}>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Device and address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">Expires</th>
            <th scope="col" className="col-actions-wide">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{body}</tbody>
      </table>
    </div>
  );
}
