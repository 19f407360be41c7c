import { type AuditEvent, SERVER_COMMAND_ACTOR } from "@keyward/contracts/audit";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { Link } from "react-router";
import { Icon } from "../../../components/ui/icons.tsx";
import { Skeleton } from "../../../components/ui/spinner.tsx";
import { LoadError } from "../../../components/ui/table-states.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { listAuditQueryOptions } from "../api/list-audit.ts";
import { actionLabel, actionTone, detailsSummary } from "./audit-labels.ts";
import { clearedAuditFilters, DEFAULT_AUDIT_PAGE_SIZE, writeAuditView } from "./audit-view.ts";

/** The audit log's first page with no filters, for links to add theirs to. */
const noFilters = { ...clearedAuditFilters, limit: DEFAULT_AUDIT_PAGE_SIZE, cursor: null };

/** How many of the latest events a history panel lists; the audit log has the rest. */
export const HISTORY_EVENTS = 8;

function actorOf(event: AuditEvent): ReactNode {
  if (event.actorId) {
    const name = event.actorName ?? event.actorId;
    return event.actorTokenId ? (
      <>
        {name} <span className="muted">with a token</span>
      </>
    ) : (
      name
    );
  }
  if (event.actorName === SERVER_COMMAND_ACTOR) return "the server's command line";
  return event.actorName ?? "the system";
}

/** The audit log filtered to events that name this token or user as their target. */
export function auditLogLinkFor(targetType: "token" | "user", targetId: string): string {
  return `/admin/audit?${writeAuditView({ ...noFilters, targetType, targetId })}`;
}

/**
 * What happened to one token or user, newest first: the latest events that name it, given as a
 * query for HISTORY_EVENTS + 1 of them (one more tells whether there are more), and a link to
 * the rest in the audit log for those who may read it.
 */
export function HistoryPanel({
  history,
  auditLink,
  footer,
}: {
  history: UseQueryResult<AuditEvent[], Error>;
  auditLink: string | null;
  footer?: ReactNode;
}) {
  const id = useId();
  const events = history.data?.slice(0, HISTORY_EVENTS);
  const more = (history.data?.length ?? 0) > HISTORY_EVENTS;

  let body: ReactNode;
  if (history.isPending) {
    body = (
      <div className="stack" aria-hidden="true">
        <Skeleton width="80%" />
        <Skeleton width="60%" />
        <Skeleton width="70%" />
      </div>
    );
  } else if (history.isError && !history.data) {
    body = (
      <LoadError
        title="The history could not be loaded"
        error={history.error}
        onRetry={() => void history.refetch()}
        retrying={history.isFetching}
      />
    );
  } else if (!events || events.length === 0) {
    body = <p className="muted">Nothing recorded yet.</p>;
  } else {
    body = (
      <ol className="history-list">
        {events.map((event) => {
          const summary = detailsSummary(event);
          return (
            <li key={event.id} className="history-item">
              <span className={`history-dot history-dot-${actionTone(event.action)}`} />
              <div className="stacked-cell">
                <span>
                  <span className={`action-label action-${actionTone(event.action)}`}>
                    {actionLabel(event.action)}
                  </span>{" "}
                  <span className="muted">by</span> {actorOf(event)}
                </span>
                <span className="details-sub">
                  <time dateTime={event.occurredAt} title={formatDateTime(event.occurredAt)}>
                    {formatRelative(event.occurredAt)}
                  </time>
                  {event.ip ? ` · from ${event.ip}` : ""}
                </span>
                {summary ? <span className="details-sub history-summary">{summary}</span> : null}
              </div>
            </li>
          );
        })}
      </ol>
    );
  }

  return (
    <section className="panel panel-flush" aria-labelledby={`${id}-title`}>
      <div className="panel-heading">
        <h2 id={`${id}-title`} className="panel-title">
          History
        </h2>
        {auditLink ? (
          <Link to={auditLink} className="panel-link">
            {more ? "All in the audit log" : "In the audit log"}
            <Icon name="chevronRight" size={14} />
          </Link>
        ) : null}
      </div>
      <div className="history-body">{body}</div>
      {footer ? <p className="panel-more">{footer}</p> : null}
    </section>
  );
}

/** A user's history (for the audit log's readers), and a link to what they did themselves. */
export function UserHistoryPanel({ userId, username }: { userId: string; username: string }) {
  const history = useQuery({
    ...listAuditQueryOptions({ targetType: "user", targetId: userId, limit: HISTORY_EVENTS + 1 }),
    select: (list) => list.items,
  });
  return (
    <HistoryPanel
      history={history}
      auditLink={auditLogLinkFor("user", userId)}
      footer={
        <>
          <Link to={`/admin/audit?${writeAuditView({ ...noFilters, actorId: userId })}`}>
            What {username} did
          </Link>{" "}
          — their own actions in the audit log.
        </>
      }
    />
  );
}
