import type { RoleDto } from "@keyward/contracts/roles";
import { useEffect, useId, useState } from "react";
import { useNavigating } from "../../../app/app-router.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { SEARCH_DEBOUNCE_MS } from "../../../lib/use-cursor-view.ts";
import { hasUserFilters, type UserView } from "./user-view.ts";

export interface UsersFiltersProps {
  view: UserView;
  roles: readonly RoleDto[] | undefined;
  update: (patch: Partial<Omit<UserView, "cursor">>, options?: { replace?: boolean }) => void;
}

/** Search, role and status; every change goes to the URL (typing after a pause). */
export function UsersFilters({ view, roles, update }: UsersFiltersProps) {
  const id = useId();
  const [q, setQ] = useState(view.q);

  useEffect(() => {
    setQ(view.q);
  }, [view.q]);

  // While another page is loading (a link was followed mid-typing), a late search update would
  // pull the browser back here, so it waits; if the page goes away, so does the update.
  const navigating = useNavigating();

  useEffect(() => {
    if (navigating || q.trim() === view.q.trim()) return;
    const timer = window.setTimeout(() => update({ q }, { replace: true }), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [q, view.q, update, navigating]);

  // A role id from a shared link that is not (or no longer) a role still shows as chosen.
  const unknownRole =
    view.roleId && roles && !roles.some((role) => role.id === view.roleId) ? view.roleId : null;

  return (
    <section className="filters" aria-label="Filters">
      <div className="filters-grid filters-grid-users">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-q`}>
            Search
          </label>
          <div className="input-with-icon">
            <Icon name="search" size={16} className="icon input-icon" />
            <input
              id={`${id}-q`}
              className="input"
              type="search"
              placeholder="Username, name or email…"
              value={q}
              maxLength={128}
              onChange={(event) => setQ(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") update({ q }, { replace: true });
              }}
            />
          </div>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-role`}>
            Role
          </label>
          <select
            id={`${id}-role`}
            className="input select"
            value={view.roleId}
            onChange={(event) => update({ roleId: event.target.value })}
          >
            <option value="">Any role</option>
            {roles?.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
            {unknownRole ? <option value={unknownRole}>Unknown role</option> : null}
            {!roles && view.roleId ? <option value={view.roleId}>Loading…</option> : null}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-status`}>
            Status
          </label>
          <select
            id={`${id}-status`}
            className="input select"
            value={view.status}
            onChange={(event) => update({ status: event.target.value as UserView["status"] })}
          >
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div className="filters-inline-actions">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setQ("");
              update({ q: "", roleId: "", status: "" });
            }}
            disabled={!hasUserFilters(view)}
            leading={<Icon name="refresh" size={14} />}
          >
            Reset filters
          </Button>
        </div>
      </div>
    </section>
  );
}
