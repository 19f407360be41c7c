import { type AuditEvent, SERVER_COMMAND_ACTOR } from "@keyward/contracts/audit";
import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { type ReactNode, useMemo } from "react";
import { pageHeading, permissionSetOf } from "../../../app/navigation.ts";
import { Button, buttonClassName } from "../../../components/ui/button.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Pager } from "../../../components/ui/pager.tsx";
import { Spinner } from "../../../components/ui/spinner.tsx";
import { LoadError, SkeletonRows, TableMessageRow } from "../../../components/ui/table-states.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { useCursorView } from "../../../lib/use-cursor-view.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { rememberUser } from "../../tokens/components/user-labels.ts";
import { listAuditQueryOptions } from "../api/list-audit.ts";
import { AuditFilters } from "./audit-filters.tsx";
import { actionLabel, actionTone, detailsSummary, targetTypeLabels } from "./audit-labels.ts";
import {
  type AuditView,
  auditExportHref,
  auditPageSizes,
  clearedAuditFilters,
  hasAuditFilters,
  readAuditView,
  toAuditQuery,
  writeAuditView,
} from "./audit-view.ts";

const features = tableFeatures({});
const column = createColumnHelper<typeof features, AuditEvent>();
const noEvents: AuditEvent[] = [];
const getRowId = (event: AuditEvent) => event.id;

/** Administration → Audit log: who did what to which, when, filterable and paged. */
export function AuditPage() {
  const me = useCurrentUser();
  const granted = permissionSetOf(me);
  const canPickActor = granted.has("users.manage") || granted.has("tokens.all.read");
  const { view, update, nextPage, previousPage, firstPage, pageNumber } = useCursorView<AuditView>(
    readAuditView,
    writeAuditView,
  );
  const query = useMemo(() => toAuditQuery(view), [view]);
  const list = useQuery(listAuditQueryOptions(query));
  const items = list.data?.items ?? noEvents;

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("occurredAt", {
          header: "Time",
          cell: ({ getValue }) => (
            <div className="stacked-cell">
              <time dateTime={getValue()}>{formatDateTime(getValue())}</time>
              <span className="details-sub">{formatRelative(getValue())}</span>
            </div>
          ),
        }),
        column.accessor("actorName", {
          header: "Actor",
          cell: ({ row }) => {
            const event = row.original;
            if (!event.actorId)
              return (
                <div className="stacked-cell">
                  <span>{event.actorName ?? "System"}</span>
                  <span className="details-sub">
                    {event.actorName === SERVER_COMMAND_ACTOR
                      ? "on the server's machine"
                      : event.actorName
                        ? "not signed in"
                        : "no user"}
                  </span>
                </div>
              );
            const name = event.actorName ?? event.actorId;
            return (
              <div className="stacked-cell">
                <button
                  type="button"
                  className="link-button"
                  title={`Show only what ${name} did`}
                  onClick={() => {
                    rememberUser(event.actorId as string, name, false);
                    update({ actorId: event.actorId as string });
                  }}
                >
                  {name}
                </button>
                {event.actorTokenId ? (
                  <span className="details-sub">
                    via token <code className="code code-inline">{event.actorTokenId}</code>
                  </span>
                ) : null}
              </div>
            );
          },
        }),
        column.accessor("action", {
          header: "Action",
          cell: ({ getValue }) => (
            <div className="stacked-cell">
              <span className={`action-label action-${actionTone(getValue())}`}>
                {actionLabel(getValue())}
              </span>
              <code className="token-id">{getValue()}</code>
            </div>
          ),
        }),
        column.accessor("targetName", {
          header: "Target",
          cell: ({ row }) => {
            const event = row.original;
            if (!event.targetType && !event.targetId) return <span className="muted">—</span>;
            return (
              <div className="stacked-cell">
                <span>
                  {event.targetType ? (
                    <span className="muted">
                      {targetTypeLabels[event.targetType] ?? event.targetType}{" "}
                    </span>
                  ) : null}
                  {event.targetName ?? ""}
                </span>
                {event.targetId ? <code className="token-id">{event.targetId}</code> : null}
              </div>
            );
          },
        }),
        column.display({
          id: "details",
          header: "Details",
          cell: ({ row }) => {
            const summary = detailsSummary(row.original);
            return (
              <div className="stacked-cell audit-details">
                <span title={JSON.stringify(row.original.details, null, 2)}>
                  {summary || <span className="muted">—</span>}
                </span>
                {row.original.ip ? (
                  <span className="details-sub" title={row.original.userAgent ?? undefined}>
                    from {row.original.ip}
                  </span>
                ) : null}
              </div>
            );
          },
        }),
      ]),
    [update],
  );

  const table = useTable({ features, columns, data: items, getRowId });
  const columnCount = columns.length;
  const filtered = hasAuditFilters(view);

  let body: ReactNode;
  if (list.isPending) body = <SkeletonRows columns={columnCount} rows={8} />;
  else if (list.isError && !list.data)
    body = (
      <TableMessageRow columns={columnCount}>
        <LoadError
          title="The audit log could not be loaded"
          error={list.error}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      </TableMessageRow>
    );
  else if (items.length === 0)
    body = (
      <TableMessageRow columns={columnCount}>
        {filtered ? (
          <EmptyState
            icon="search"
            title="Nothing matches these filters"
            description="Try a wider time range, another action, or anyone as the actor."
            action={<Button onClick={() => update(clearedAuditFilters)}>Reset filters</Button>}
            className="empty-state-inline"
          />
        ) : (
          <EmptyState
            icon="scroll"
            title="The audit log is empty"
            description="Sign-ins, token changes and changes to users, roles and settings are recorded here as they happen."
            className="empty-state-inline"
          />
        )}
      </TableMessageRow>
    );
  else
    body = table.getRowModel().rows.map((row) => (
      <tr key={row.id}>
        {row.getAllCells().map((cell) => (
          <td key={cell.id} className={`col-audit-${cell.column.id}`}>
            <table.FlexRender cell={cell} />
          </td>
        ))}
      </tr>
    ));

  const total = list.data?.total ?? 0;

  return (
    <SectionPage {...pageHeading("admin.audit")}>
      <div className="tokens">
        <AuditFilters view={view} update={update} canPickActor={canPickActor} />
        <div className="table-card">
          <div className="table-toolbar">
            <p className="table-summary" aria-live="polite">
              {list.data ? (
                <>
                  <strong>
                    {list.data.totalIsEstimate ? "About " : ""}
                    {total.toLocaleString()}
                  </strong>{" "}
                  {total === 1 ? "event" : "events"}
                  {filtered ? " match" : ""}
                </>
              ) : (
                <span className="muted">Loading events…</span>
              )}
            </p>
            <div className="toolbar-actions">
              {list.isFetching && !list.isPending ? (
                <Spinner size={16} label="Updating" className="table-spinner" />
              ) : null}
              <a
                className={buttonClassName({ size: "sm", variant: "ghost" })}
                href={auditExportHref(view)}
                download
                title="Every event these filters select, as CSV (at most 100,000)"
              >
                <Icon name="download" size={14} />
                <span className="btn-label">Export CSV</span>
              </a>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => (view.cursor ? firstPage() : void list.refetch())}
                leading={<Icon name="refresh" size={14} />}
              >
                Show newest
              </Button>
            </div>
          </div>
          <div className="table-scroll">
            <table
              className="data-table audit-table"
              aria-label="Audit events"
              aria-busy={list.isFetching || undefined}
            >
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <th key={header.id} scope="col" className={`col-audit-${header.column.id}`}>
                        <table.FlexRender header={header} />
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody className={list.isPlaceholderData ? "tbody-stale" : undefined}>{body}</tbody>
            </table>
          </div>
          <Pager
            limit={view.limit}
            pageSizes={auditPageSizes}
            onLimit={(limit) => update({ limit })}
            pageNumber={pageNumber}
            count={items.length}
            total={list.data ? total : null}
            totalIsEstimate={list.data?.totalIsEstimate ?? false}
            hasPrevious={view.cursor !== null}
            hasNext={Boolean(list.data?.nextCursor) && !list.isPlaceholderData}
            busy={list.isFetching}
            onPrevious={previousPage}
            onNext={() => list.data?.nextCursor && nextPage(list.data.nextCursor)}
            onFirst={firstPage}
          />
        </div>
      </div>
    </SectionPage>
  );
}
