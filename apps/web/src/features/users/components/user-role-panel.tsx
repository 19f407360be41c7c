import type { Permission } from "@keyward/contracts/permissions";
import { permissionLabels } from "@keyward/contracts/permissions";
import type { UserDto } from "@keyward/contracts/users";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle } from "../../../lib/form-errors.ts";
import { rolesQueryOptions } from "../../roles/api/list-roles.ts";
import { useUpdateUser } from "../api/update-user.ts";
import { RoleOptions } from "./role-options.tsx";

export interface UserRolePanelProps {
  user: UserDto;
  isSelf: boolean;
  callerPermissions: ReadonlySet<Permission>;
}

/** Change a user's role. Refusals (own role, last Owner, beyond the caller's rights) are shown. */
export function UserRolePanel({ user, isSelf, callerPermissions }: UserRolePanelProps) {
  const id = useId();
  const roles = useQuery(rolesQueryOptions());
  const update = useUpdateUser();
  const { toast } = useToast();
  const [roleId, setRoleId] = useState(user.role.id);
  const chosen = roles.data?.items.find((role) => role.id === roleId);
  const changed = roleId !== user.role.id;

  const save = () =>
    update.mutate(
      { id: user.id, input: { roleId } },
      {
        onSuccess: (saved) =>
          toast({
            tone: "success",
            title: `${saved.displayName || saved.username} is now ${saved.role.name}`,
            description: "The new permissions apply from their next request.",
          }),
      },
    );

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        Role
      </h2>
      <div className="stack">
        {update.isError ? (
          <Alert tone="danger" title={refusalTitle(update.error)}>
            {update.error.message}
          </Alert>
        ) : null}
        {isSelf ? (
          <Alert tone="info" live="none">
            This is you. Another administrator has to change your role, so nobody can raise their
            own rights or lock themselves out by accident.
          </Alert>
        ) : null}
        <div className="role-change-row">
          <div className="field">
            <label htmlFor={`${id}-role`} className="field-label">
              Assigned role
            </label>
            <select
              id={`${id}-role`}
              className="input select"
              value={roleId}
              disabled={!roles.data || isSelf}
              onChange={(event) => {
                update.reset();
                setRoleId(event.target.value);
              }}
            >
              {roles.data ? (
                <RoleOptions roles={roles.data.items} callerPermissions={callerPermissions} />
              ) : (
                <option value={user.role.id}>{user.role.name}</option>
              )}
            </select>
          </div>
          <Button
            variant="primary"
            onClick={save}
            disabled={!changed || isSelf}
            pending={update.isPending}
            pendingLabel="Changing…"
          >
            Change role
          </Button>
        </div>
        {roles.isError ? (
          <p className="field-error">The roles could not be loaded: {roles.error.message}</p>
        ) : null}
        {chosen ? (
          <p className="muted role-grants">
            {chosen.fixed
              ? "Grants every permission."
              : chosen.permissions.length === 0
                ? "Grants no permissions: they can sign in and look after their own profile and sessions."
                : `Grants: ${chosen.permissions.map((p) => permissionLabels[p]).join(", ")}.`}
          </p>
        ) : null}
      </div>
    </section>
  );
}
