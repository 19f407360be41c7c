import type { Token, TokenSort, TokenSortField } from "@keyward/contracts/tokens";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import {
  createContext,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Skeleton, Spinner } from "../../../components/ui/spinner.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { listTokensQueryOptions } from "../api/list-tokens.ts";
import { ExpiringSoonNotice } from "./expiring-soon-notice.tsx";
import { IdleTokensNotice } from "./idle-tokens-notice.tsx";
import { StatusToggle } from "./status-toggle.tsx";
import { ExpiryCell } from "./token-expiry.tsx";
import { TokenFilters } from "./token-filters.tsx";
import { hasFilters, pageSizes, type TokenView, toListQuery, useTokenView } from "./token-view.ts";
import { rememberUser } from "./user-labels.ts";

export type TokensMode = "admin" | "own";

export interface TokensTableProps {
  /** "admin": everyone's tokens, with the user column and filters; "own": the caller's. */
  mode: TokensMode;
  /** May change tokens shown here (enable, disable, delete); otherwise read-only. */
  canManage: boolean;
  /** Opens the create dialog; absent when the caller may not create here. */
  onCreate?: (() => void) | undefined;
}

// Only the core features: sorting, filtering and paging happen on the server, and selection is
// a set of token ids kept here, so it outlives the page it was made on (table-core's selection
// feature would add ~2 KB gzip to the page's first download for what a Set does).
const features = tableFeatures({});
const column = createColumnHelper<typeof features, Token>();
const noTokens: Token[] = [];

// Not needed until something is selected or deleted, so not part of the first download.
const BulkBar = lazy(() => import("./bulk-bar.tsx"));
const DeleteTokenDialog = lazy(() => import("./delete-token-dialog.tsx"));

type Selection = Readonly<Record<string, true>>;

const getRowId = (token: Token) => token.id;

function Checkbox({
  checked,
  indeterminate = false,
  label,
  onChange,
}: {
  checked: boolean;
  indeterminate?: boolean;
  label: string;
  onChange: (checked: boolean) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="checkbox"
      checked={checked}
      aria-label={label}
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

const sortLabels: Record<TokenSortField, string> = {
  name: "Name",
  userName: "User",
  expiresAt: "Expires",
  createdAt: "Created",
  createdByName: "Created by",
  lastUsedAt: "Last used",
  status: "Status",
};

/**
 * What cells and headers read that changes while the table stays mounted (selection, sort). It
 * goes through context so the column definitions never change: a new cell renderer would remount
 * every cell, losing focus and in-flight callbacks.
 */
interface TableContextValue {
  selection: Selection;
  setSelected: (ids: readonly string[], selected: boolean) => void;
  pageIds: readonly string[];
  sort: TokenSort;
  onSort: (sort: TokenSort) => void;
  onDelete: (token: Token) => void;
}
const TableContext = createContext<TableContextValue | null>(null);

function useTableContext(): TableContextValue {
  const value = useContext(TableContext);
  if (!value) throw new Error("Token table cells need the table context");
  return value;
}

function SelectAllHeader() {
  const { selection, setSelected, pageIds } = useTableContext();
  const selectedHere = pageIds.filter((id) => selection[id]).length;
  return (
    <Checkbox
      label="Select all tokens on this page"
      checked={pageIds.length > 0 && selectedHere === pageIds.length}
      indeterminate={selectedHere > 0 && selectedHere < pageIds.length}
      onChange={(checked) => setSelected(pageIds, checked)}
    />
  );
}

function SelectCell({ token }: { token: Token }) {
  const { selection, setSelected } = useTableContext();
  return (
    <Checkbox
      label={`Select ${token.name}`}
      checked={selection[token.id] === true}
      onChange={(checked) => setSelected([token.id], checked)}
    />
  );
}

function DeleteCell({ token }: { token: Token }) {
  const { onDelete } = useTableContext();
  return (
    <button
      type="button"
      className="icon-button row-action"
      aria-label={`Delete ${token.name}`}
      title="Delete"
      onClick={() => onDelete(token)}
    >
      <Icon name="trash" size={16} />
    </button>
  );
}

/** A username, cut to the column's width; the whole name shows on hover. */
function UserNameCell({ name }: { name: string }) {
  if (!name) return <span className="muted">—</span>;
  return (
    <span className="cell-truncate" title={name}>
      {name}
    </span>
  );
}

function SortHeader({ field }: { field: TokenSortField }) {
  const { sort, onSort } = useTableContext();
  const direction = sort === field ? "asc" : sort === `-${field}` ? "desc" : null;
  const next: TokenSort = direction === "asc" ? `-${field}` : field;
  return (
    <button
      type="button"
      className="sort-button"
      onClick={() => onSort(next)}
      title={`Sort by ${sortLabels[field].toLowerCase()}`}
    >
      {sortLabels[field]}
      <Icon
        name={direction === "asc" ? "sortAsc" : direction === "desc" ? "sortDesc" : "sortNone"}
        size={14}
        className={direction ? "icon sort-icon sort-icon-active" : "icon sort-icon"}
      />
    </button>
  );
}

function SkeletonRows({ columns, rows }: { columns: number; rows: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <tr key={row} className="skeleton-row">
          {Array.from({ length: columns }, (_, col) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
            <td key={col}>
              <Skeleton width={col === 0 ? 16 : `${55 + ((row * 7 + col * 13) % 40)}%`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

/**
 * The token table for both pages: server-side filters, sort and pages driven by the URL;
 * selection kept by token id across pages and filter changes; status toggles and mass actions.
 */
export function TokensTable({ mode, canManage, onCreate }: TokensTableProps) {
  const tableId = useId();
  const queryClient = useQueryClient();
  const ownUserId = useCurrentUser().id;
  // A filter change or page turn asks for its rows as the user makes it, not after the page has
  // rendered the new URL (a render of the whole page, in a transition).
  const prefetch = useCallback(
    (next: TokenView) =>
      void queryClient.prefetchQuery(listTokensQueryOptions(toListQuery(next, mode, ownUserId))),
    [queryClient, mode, ownUserId],
  );
  const { view, update, resetFilters, nextPage, previousPage, firstPage, pageNumber } =
    useTokenView(prefetch);
  const query = useMemo(() => toListQuery(view, mode, ownUserId), [view, mode, ownUserId]);
  const list = useQuery(listTokensQueryOptions(query));
  const [selection, setSelection] = useState<Selection>({});
  const [deleting, setDeleting] = useState<Token | null>(null);

  const items = list.data?.items ?? noTokens;
  useEffect(() => {
    for (const token of items) {
      rememberUser(token.userId, token.userName, false);
      if (token.createdBy) rememberUser(token.createdBy, token.createdByName, false);
    }
  }, [items]);

  const selectedIds = useMemo(() => Object.keys(selection), [selection]);
  const setSelected = useCallback((ids: readonly string[], selected: boolean) => {
    setSelection((current) => {
      const next: Record<string, true> = { ...current };
      for (const id of ids) {
        if (selected) next[id] = true;
        else delete next[id];
      }
      return next;
    });
  }, []);
  const pageIds = useMemo(() => items.map((token) => token.id), [items]);

  const columns = useMemo(() => {
    const basePath = mode === "admin" ? "/admin/tokens" : "/profile/tokens";
    const sortable = (field: TokenSortField) => () => <SortHeader field={field} />;
    return column.columns([
      ...(canManage
        ? [
            column.display({
              id: "select",
              header: () => <SelectAllHeader />,
              cell: ({ row }) => <SelectCell token={row.original} />,
            }),
          ]
        : []),
      column.accessor("name", {
        header: sortable("name"),
        cell: ({ row }) => (
          <div className="token-name-cell">
            <Link to={`${basePath}/${row.original.id}`} className="token-name-link">
              {row.original.name}
            </Link>
            <span className="token-id">{row.original.id}</span>
          </div>
        ),
      }),
      ...(mode === "admin"
        ? [
            column.accessor("userName", {
              header: sortable("userName"),
              cell: ({ getValue }) => <UserNameCell name={getValue()} />,
            }),
          ]
        : []),
      column.accessor("expiresAt", {
        header: sortable("expiresAt"),
        cell: ({ row }) => <ExpiryCell token={row.original} />,
      }),
      column.accessor("createdAt", {
        header: sortable("createdAt"),
        cell: ({ getValue }) => (
          <time dateTime={getValue()} title={formatDateTime(getValue())}>
            {formatRelative(getValue())}
          </time>
        ),
      }),
      column.accessor("createdByName", {
        header: sortable("createdByName"),
        cell: ({ getValue }) => <UserNameCell name={getValue()} />,
      }),
      column.accessor("lastUsedAt", {
        header: sortable("lastUsedAt"),
        cell: ({ row }) =>
          row.original.lastUsedAt ? (
            <time
              dateTime={row.original.lastUsedAt}
              title={[formatDateTime(row.original.lastUsedAt), row.original.lastUsedIp]
                .filter(Boolean)
                .join(" from ")}
            >
              {formatRelative(row.original.lastUsedAt)}
            </time>
          ) : (
            <span className="muted">Never used</span>
          ),
      }),
      column.accessor("status", {
        header: sortable("status"),
        cell: ({ row }) => <StatusToggle token={row.original} canManage={canManage} />,
      }),
      ...(canManage
        ? [
            column.display({
              id: "actions",
              header: () => <span className="visually-hidden">Actions</span>,
              cell: ({ row }) => <DeleteCell token={row.original} />,
            }),
          ]
        : []),
    ]);
  }, [canManage, mode]);

  const context = useMemo<TableContextValue>(
    () => ({
      selection,
      setSelected,
      pageIds,
      sort: view.sort,
      onSort: (sort) => update({ sort }),
      onDelete: setDeleting,
    }),
    [selection, setSelected, pageIds, view.sort, update],
  );

  const table = useTable({ features, columns, data: items, getRowId });

  const headerCells: Record<string, string> = {
    select: "col-select",
    status: "col-status",
    actions: "col-actions",
    name: "col-name",
  };
  const columnCount = columns.length;
  const total = list.data?.total ?? 0;
  const filtered = hasFilters(view);
  const firstRow = pageNumber ? (pageNumber - 1) * view.limit + 1 : null;

  let body: ReactNode;
  if (list.isPending) {
    body = <SkeletonRows columns={columnCount} rows={6} />;
  } else if (list.isError && !list.data) {
    body = (
      <tr>
        <td colSpan={columnCount} className="table-message">
          <Alert
            tone="danger"
            title="The tokens could not be loaded"
            actions={
              <Button
                size="sm"
                onClick={() => void list.refetch()}
                pending={list.isFetching}
                pendingLabel="Retrying…"
                leading={<Icon name="refresh" size={14} />}
              >
                Retry
              </Button>
            }
          >
            {list.error.message}
          </Alert>
        </td>
      </tr>
    );
  } else if (items.length === 0) {
    body = (
      <tr>
        <td colSpan={columnCount} className="table-message">
          {filtered ? (
            <EmptyState
              icon="search"
              headingLevel={2}
              title="No tokens match these filters"
              description="Try a different name or widen the expiry, last use, status or user filters."
              action={<Button onClick={resetFilters}>Reset filters</Button>}
              className="empty-state-inline"
            />
          ) : (
            <EmptyState
              icon="key"
              headingLevel={2}
              title={mode === "admin" ? "No API tokens yet" : "You have no API tokens yet"}
              description={
                mode === "admin"
                  ? "Tokens let scripts and services call the Keyward API on a user's behalf. Create one for yourself or for another user."
                  : "A token lets a script or service call the API on your behalf, within the scopes you choose. Its secret is shown once, when you create it."
              }
              action={
                onCreate ? (
                  <Button
                    variant="primary"
                    onClick={onCreate}
                    leading={<Icon name="plus" size={16} />}
                  >
                    Create API token
                  </Button>
                ) : null
              }
              className="empty-state-inline"
            />
          )}
        </td>
      </tr>
    );
  } else {
    body = table.getRowModel().rows.map((row) => (
      <tr key={row.id} className={selection[row.id] ? "row-selected" : undefined}>
        {row.getAllCells().map((cell) => (
          <td key={cell.id} className={headerCells[cell.column.id]}>
            <table.FlexRender cell={cell} />
          </td>
        ))}
      </tr>
    ));
  }

  return (
    <TableContext value={context}>
      <div className="tokens">
        <ExpiringSoonNotice mode={mode} ownUserId={ownUserId} view={view} update={update} />
        <IdleTokensNotice mode={mode} ownUserId={ownUserId} view={view} update={update} />
        <TokenFilters mode={mode} view={view} update={update} />

        <div className="table-card">
          <div className="table-toolbar">
            {selectedIds.length > 0 ? (
              <Suspense
                fallback={
                  <p className="table-summary">
                    <strong>{selectedIds.length.toLocaleString()}</strong> selected
                  </p>
                }
              >
                <BulkBar selectedIds={selectedIds} onClear={() => setSelection({})} />
              </Suspense>
            ) : (
              <p className="table-summary" aria-live="polite">
                {list.data ? (
                  <>
                    <strong>
                      {list.data.totalIsEstimate ? "About " : ""}
                      {total.toLocaleString()}
                    </strong>{" "}
                    {total === 1 ? "token" : "tokens"}
                    {filtered ? (total === 1 ? " matches" : " match") : ""}
                    {filtered ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        className="summary-reset"
                        onClick={resetFilters}
                        leading={<Icon name="close" size={14} />}
                      >
                        Reset filters
                      </Button>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">Loading tokens…</span>
                )}
              </p>
            )}
            {list.isFetching && !list.isPending ? (
              <Spinner size={16} label="Updating" className="table-spinner" />
            ) : null}
          </div>
          <div className="table-scroll">
            <table
              id={tableId}
              className="data-table"
              aria-busy={list.isFetching || undefined}
              aria-label={mode === "admin" ? "API tokens" : "Your API tokens"}
            >
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const id = header.column.id;
                      const isSortable = (
                        [
                          "name",
                          "userName",
                          "expiresAt",
                          "createdAt",
                          "createdByName",
                          "lastUsedAt",
                          "status",
                        ] as string[]
                      ).includes(id);
                      const ariaSort = !isSortable
                        ? undefined
                        : view.sort === id
                          ? "ascending"
                          : view.sort === `-${id}`
                            ? "descending"
                            : undefined;
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          aria-sort={ariaSort}
                          className={headerCells[id]}
                        >
                          <table.FlexRender header={header} />
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody className={list.isPlaceholderData ? "tbody-stale" : undefined}>{body}</tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pagination">
            <div className="pager-size">
              <label htmlFor={`${tableId}-size`}>Rows per page</label>
              <select
                id={`${tableId}-size`}
                className="input select select-sm"
                value={view.limit}
                onChange={(event) => update({ limit: Number(event.target.value) })}
              >
                {pageSizes.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </div>
            <p className="pager-position">
              {list.data && items.length > 0
                ? firstRow
                  ? `${firstRow.toLocaleString()}–${(firstRow + items.length - 1).toLocaleString()} of ${list.data.totalIsEstimate ? "about " : ""}${total.toLocaleString()}`
                  : `${items.length} of ${total.toLocaleString()}`
                : null}
            </p>
            <div className="pager-buttons">
              {pageNumber === null ? (
                <Button size="sm" variant="ghost" onClick={firstPage}>
                  First page
                </Button>
              ) : null}
              <Button
                size="sm"
                onClick={previousPage}
                disabled={view.cursor === null || list.isFetching}
                leading={<Icon name="chevronLeft" size={14} />}
              >
                Previous
              </Button>
              <Button
                size="sm"
                onClick={() => list.data?.nextCursor && nextPage(list.data.nextCursor)}
                disabled={!list.data?.nextCursor || list.isPlaceholderData}
              >
                Next
                <Icon name="chevronRight" size={14} />
              </Button>
            </div>
          </nav>
        </div>

        {deleting ? (
          <Suspense fallback={null}>
            <DeleteTokenDialog
              token={deleting}
              showOwner={mode === "admin"}
              onClose={() => setDeleting(null)}
              onDeleted={(token) => {
                setDeleting(null);
                setSelected([token.id], false);
              }}
            />
          </Suspense>
        ) : null}
      </div>
    </TableContext>
  );
}
