import type { UserDto, UserSort } from "@keyward/contracts/users";
import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { type ReactNode, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { pageHeading, permissionSetOf } from "../../../app/navigation.ts";
import { Button } from "../../../components/ui/button.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Pager } from "../../../components/ui/pager.tsx";
import { Spinner } from "../../../components/ui/spinner.tsx";
import { LoadError, SkeletonRows, TableMessageRow } from "../../../components/ui/table-states.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { useCursorView } from "../../../lib/use-cursor-view.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { rolesQueryOptions } from "../../roles/api/list-roles.ts";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { listUsersQueryOptions } from "../api/list-users.ts";
import { CreateUserDialog } from "./create-user-dialog.tsx";
import { UserStatusPill } from "./user-status.tsx";
import {
  hasUserFilters,
  readUserView,
  toUsersQuery,
  type UserView,
  userPageSizes,
  writeUserView,
} from "./user-view.ts";
import { UsersFilters } from "./users-filters.tsx";

const features = tableFeatures({});
const column = createColumnHelper<typeof features, UserDto>();
const noUsers: UserDto[] = [];
const getRowId = (user: UserDto) => user.id;

type SortField = "username" | "displayName" | "createdAt";
const sortLabels: Record<SortField, string> = {
  username: "User",
  displayName: "Display name",
  createdAt: "Created",
};

function SortHeader({
  field,
  sort,
  onSort,
}: {
  field: SortField;
  sort: UserSort;
  onSort: (sort: UserSort) => void;
}) {
  const direction = sort === field ? "asc" : sort === `-${field}` ? "desc" : null;
  return (
    <button
      type="button"
      className="sort-button"
      onClick={() => onSort(direction === "asc" ? `-${field}` : field)}
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

function ariaSortOf(sort: UserSort, field: string): "ascending" | "descending" | undefined {
  if (sort === field) return "ascending";
  if (sort === `-${field}`) return "descending";
  return undefined;
}

/** Administration → Users: search, filter and page through users; create one. */
export function UsersPage() {
  const me = useCurrentUser();
  const callerPermissions = permissionSetOf(me);
  const navigate = useNavigate();
  const { toast } = useToast();
  const { view, update, nextPage, previousPage, firstPage, pageNumber } = useCursorView<UserView>(
    readUserView,
    writeUserView,
  );
  const query = useMemo(() => toUsersQuery(view), [view]);
  const list = useQuery(listUsersQueryOptions(query));
  const roles = useQuery(rolesQueryOptions());
  const [creating, setCreating] = useState(false);
  const items = list.data?.items ?? noUsers;

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor("username", {
          header: () => (
            <SortHeader field="username" sort={view.sort} onSort={(sort) => update({ sort })} />
          ),
          cell: ({ row }) => (
            <div className="token-name-cell">
              <Link to={`/admin/users/${row.original.id}`} className="token-name-link">
                {row.original.displayName || row.original.username}
              </Link>
              <span className="token-id">
                {row.original.username}
                {row.original.id === me.id ? " · you" : ""}
              </span>
            </div>
          ),
        }),
        column.accessor("email", {
          header: "Email",
          cell: ({ getValue }) => getValue() ?? <span className="muted">—</span>,
        }),
        column.accessor((user) => user.role.name, {
          id: "role",
          header: "Role",
          cell: ({ getValue }) => <span className="badge">{getValue()}</span>,
        }),
        column.accessor("status", {
          header: "Status",
          cell: ({ getValue }) => <UserStatusPill status={getValue()} />,
        }),
        column.accessor("lastLoginAt", {
          header: "Last sign-in",
          cell: ({ getValue }) => {
            const value = getValue();
            return value ? (
              <time dateTime={value} title={formatDateTime(value)}>
                {formatRelative(value)}
              </time>
            ) : (
              <span className="muted">Never</span>
            );
          },
        }),
        column.accessor("createdAt", {
          header: () => (
            <SortHeader field="createdAt" sort={view.sort} onSort={(sort) => update({ sort })} />
          ),
          cell: ({ getValue }) => (
            <time dateTime={getValue()} title={formatDateTime(getValue())}>
              {formatRelative(getValue())}
            </time>
          ),
        }),
      ]),
    [view.sort, update, me.id],
  );

  const table = useTable({ features, columns, data: items, getRowId });
  const columnCount = columns.length;
  const filtered = hasUserFilters(view);
  const total = list.data?.total ?? 0;

  let body: ReactNode;
  if (list.isPending) body = <SkeletonRows columns={columnCount} rows={6} />;
  else if (list.isError && !list.data)
    body = (
      <TableMessageRow columns={columnCount}>
        <LoadError
          title="The users could not be loaded"
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
            title="No users match these filters"
            description="Try another search, or widen the role and status filters."
            action={
              <Button onClick={() => update({ q: "", roleId: "", status: "" })}>
                Reset filters
              </Button>
            }
            className="empty-state-inline"
          />
        ) : (
          <EmptyState
            icon="users"
            title="No users yet"
            description="Create a user for each person who should sign in to Keyward."
            className="empty-state-inline"
          />
        )}
      </TableMessageRow>
    );
  else
    body = table.getRowModel().rows.map((row) => (
      <tr key={row.id}>
        {row.getAllCells().map((cell) => (
          <td key={cell.id} className={cell.column.id === "username" ? "col-name" : undefined}>
            <table.FlexRender cell={cell} />
          </td>
        ))}
      </tr>
    ));

  return (
    <SectionPage
      {...pageHeading("admin.users")}
      actions={
        <Button
          variant="primary"
          onClick={() => setCreating(true)}
          leading={<Icon name="plus" size={16} />}
        >
          Create user
        </Button>
      }
    >
      <div className="tokens">
        <UsersFilters view={view} roles={roles.data?.items} update={update} />
        <div className="table-card">
          <div className="table-toolbar">
            <p className="table-summary" aria-live="polite">
              {list.data ? (
                <>
                  <strong>{total.toLocaleString()}</strong> {total === 1 ? "user" : "users"}
                  {filtered ? " match" : ""}
                </>
              ) : (
                <span className="muted">Loading users…</span>
              )}
            </p>
            {list.isFetching && !list.isPending ? (
              <Spinner size={16} label="Updating" className="table-spinner" />
            ) : null}
          </div>
          <div className="table-scroll">
            <table
              className="data-table"
              aria-label="Users"
              aria-busy={list.isFetching || undefined}
            >
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={ariaSortOf(view.sort, header.column.id)}
                      >
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
            pageSizes={userPageSizes}
            onLimit={(limit) => update({ limit })}
            pageNumber={pageNumber}
            count={items.length}
            total={list.data ? total : null}
            hasPrevious={view.cursor !== null}
            hasNext={Boolean(list.data?.nextCursor) && !list.isPlaceholderData}
            busy={list.isFetching}
            onPrevious={previousPage}
            onNext={() => list.data?.nextCursor && nextPage(list.data.nextCursor)}
            onFirst={firstPage}
          />
        </div>
      </div>
      {creating ? (
        <CreateUserDialog
          callerPermissions={callerPermissions}
          onClose={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            toast({
              tone: "success",
              title: `User ${user.username} created`,
              description: `Role ${user.role.name}. They can sign in now.`,
            });
            void navigate(`/admin/users/${user.id}`);
          }}
        />
      ) : null}
    </SectionPage>
  );
}
