import { permissionLabels } from "@keyward/contracts/permissions";
import type { RoleDto } from "@keyward/contracts/roles";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { pageHeading, permissionSetOf } from "../../../app/navigation.ts";
import { Button } from "../../../components/ui/button.tsx";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Spinner } from "../../../components/ui/spinner.tsx";
import { LoadError, SkeletonRows, TableMessageRow } from "../../../components/ui/table-states.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle } from "../../../lib/form-errors.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { useDeleteRole } from "../api/delete-role.ts";
import { rolesQueryOptions } from "../api/list-roles.ts";
import { RoleFormDialog } from "./role-form-dialog.tsx";

type Editing = { role?: RoleDto } | null;

function RoleKind({ role }: { role: RoleDto }) {
  if (role.fixed)
    return (
      <span className="badge" title="The Owner role always grants everything and cannot change.">
        <Icon name="lock" size={12} />
        Fixed
      </span>
    );
  if (role.builtin) return <span className="badge">Built-in</span>;
  return <span className="badge badge-accent">Custom</span>;
}

/** Administration → Roles: built-in and custom roles, their permissions and holders. */
export function RolesPage() {
  const me = useCurrentUser();
  const callerPermissions = permissionSetOf(me);
  const roles = useQuery(rolesQueryOptions());
  const remove = useDeleteRole();
  const { toast } = useToast();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<RoleDto | null>(null);
  const canSeeUsers = callerPermissions.has("users.manage");

  const items = roles.data?.items ?? [];
  const customCount = items.filter((role) => !role.builtin).length;
  const columns = 4;

  let body: ReactNode;
  if (roles.isPending) body = <SkeletonRows columns={columns} rows={5} />;
  else if (roles.isError && !roles.data)
    body = (
      <TableMessageRow columns={columns}>
        <LoadError
          title="The roles could not be loaded"
          error={roles.error}
          onRetry={() => void roles.refetch()}
          retrying={roles.isFetching}
        />
      </TableMessageRow>
    );
  else
    body = items.map((role) => (
      <tr key={role.id}>
        <td className="col-role">
          <div className="role-name-row">
            <span className="role-name">{role.name}</span>
            <RoleKind role={role} />
          </div>
          {role.description ? <p className="role-description">{role.description}</p> : null}
        </td>
        <td className="col-permissions">
          {role.fixed ? (
            <span className="muted">Every permission, always</span>
          ) : role.permissions.length === 0 ? (
            <span className="muted">None: signs in only</span>
          ) : (
            <ul className="permission-chips" aria-label={`Permissions of ${role.name}`}>
              {role.permissions.map((permission) => (
                <li key={permission} className="badge" title={permission}>
                  {permissionLabels[permission]}
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className="col-count">
          {canSeeUsers && role.userCount > 0 ? (
            <Link
              to={`/admin/users?roleId=${encodeURIComponent(role.id)}`}
              aria-label={`${role.userCount} ${role.userCount === 1 ? "user" : "users"} with ${role.name}`}
            >
              {role.userCount.toLocaleString()}
            </Link>
          ) : (
            role.userCount.toLocaleString()
          )}
        </td>
        <td className="col-actions-wide">
          {role.fixed ? null : (
            <div className="row-actions">
              <Button
                size="sm"
                variant="ghost"
                onClick={() => {
                  setEditing({ role });
                }}
                aria-label={`Edit ${role.name}`}
                leading={<Icon name="pencil" size={14} />}
              >
                Edit
              </Button>
              {role.builtin ? null : (
                <button
                  type="button"
                  className="icon-button row-action"
                  aria-label={`Delete ${role.name}`}
                  title="Delete"
                  onClick={() => {
                    remove.reset();
                    setDeleting(role);
                  }}
                >
                  <Icon name="trash" size={16} />
                </button>
              )}
            </div>
          )}
        </td>
      </tr>
    ));

  return (
    <SectionPage
      {...pageHeading("admin.roles")}
      actions={
        <Button
          variant="primary"
          onClick={() => setEditing({})}
          leading={<Icon name="plus" size={16} />}
        >
          Create role
        </Button>
      }
    >
      <div className="table-card">
        <div className="table-toolbar">
          <p className="table-summary" aria-live="polite">
            {roles.data ? (
              <>
                <strong>{items.length}</strong> roles · {items.length - customCount} built-in,{" "}
                {customCount} custom
              </>
            ) : (
              <span className="muted">Loading roles…</span>
            )}
          </p>
          {roles.isFetching && !roles.isPending ? (
            <Spinner size={16} label="Updating" className="table-spinner" />
          ) : null}
        </div>
        <div className="table-scroll">
          <table
            className="data-table"
            aria-label="Roles"
            aria-busy={roles.isFetching || undefined}
          >
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Permissions</th>
                <th scope="col" className="col-count">
                  Users
                </th>
                <th scope="col" className="col-actions-wide">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>{body}</tbody>
          </table>
        </div>
        {roles.data && customCount === 0 ? (
          <div className="table-card-footer">
            <Icon name="shield" size={18} className="icon table-card-footer-icon" />
            <p>
              <strong>No custom roles yet.</strong> When the built-in roles do not fit, create one
              with exactly the permissions a group needs, for example signing in without managing
              API tokens.
            </p>
            <Button
              size="sm"
              onClick={() => setEditing({})}
              leading={<Icon name="plus" size={14} />}
            >
              Create role
            </Button>
          </div>
        ) : null}
      </div>
      {editing ? (
        <RoleFormDialog
          {...(editing.role ? { role: editing.role } : {})}
          callerPermissions={callerPermissions}
          onClose={() => setEditing(null)}
        />
      ) : null}

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the role ${deleting?.name ?? ""}?`}
        confirmLabel="Delete role"
        pendingLabel="Deleting…"
        tone="danger"
        pending={remove.isPending}
        error={remove.isError ? `${refusalTitle(remove.error)}. ${remove.error.message}` : null}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          const role = deleting;
          remove.mutate(
            { id: role.id },
            {
              onSuccess: () => {
                setDeleting(null);
                toast({ tone: "success", title: `Role ${role.name} deleted` });
              },
            },
          );
        }}
      >
        {deleting && deleting.userCount > 0 ? (
          <p>
            <strong>
              {deleting.userCount} {deleting.userCount === 1 ? "user holds" : "users hold"}
            </strong>{" "}
            this role. A role in use cannot be deleted: give{" "}
            {deleting.userCount === 1 ? "that user" : "those users"} another role first
            {canSeeUsers ? (
              <>
                {" "}
                (<Link to={`/admin/users?roleId=${encodeURIComponent(deleting.id)}`}>see who</Link>)
              </>
            ) : null}
            .
          </p>
        ) : (
          <p>
            Nobody holds this role. Deleting it cannot be undone; the audit log keeps its history.
          </p>
        )}
      </ConfirmDialog>
    </SectionPage>
  );
}
