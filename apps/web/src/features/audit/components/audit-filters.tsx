import { useEffect, useId, useState } from "react";
import { useNavigating } from "../../../app/app-router.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { SEARCH_DEBOUNCE_MS } from "../../../lib/use-cursor-view.ts";
import { UserPicker } from "../../tokens/components/user-picker.tsx";
import { actionLabel, auditActionGroups, targetTypeLabels } from "./audit-labels.ts";
import {
  type AuditView,
  auditTargetTypes,
  clearedAuditFilters,
  hasAuditFilters,
} from "./audit-view.ts";

export interface AuditFiltersProps {
  view: AuditView;
  update: (patch: Partial<Omit<AuditView, "cursor">>, options?: { replace?: boolean }) => void;
  /** Whether the caller may search users (the actor picker needs it). */
  canPickActor: boolean;
}

/** A datetime-local value for "now minus `hours`", in the reader's time zone. */
function localAgo(hours: number): string {
  const date = new Date(Date.now() - hours * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const quickRanges = [
  { label: "Last hour", hours: 1 },
  { label: "Last day", hours: 24 },
  { label: "Last week", hours: 24 * 7 },
  { label: "Last 30 days", hours: 24 * 30 },
] as const;

/** Actor, action, target and time range; every change goes to the URL. */
export function AuditFilters({ view, update, canPickActor }: AuditFiltersProps) {
  const id = useId();
  const [targetId, setTargetId] = useState(view.targetId);

  useEffect(() => {
    setTargetId(view.targetId);
  }, [view.targetId]);

  // While another page is loading (a link was followed mid-typing), a late search update would
  // pull the browser back here, so it waits; if the page goes away, so does the update.
  const navigating = useNavigating();

  useEffect(() => {
    if (navigating || targetId.trim() === view.targetId.trim()) return;
    const timer = window.setTimeout(
      () => update({ targetId }, { replace: true }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [targetId, view.targetId, update, navigating]);

  const knownAction = auditActionGroups.some((group) => view.action in group.actions);

  return (
    <section className="filters" aria-label="Filters">
      <div className="filters-grid filters-grid-audit">
        {canPickActor ? (
          <UserPicker
            label="Actor"
            value={view.actorId ? [view.actorId] : []}
            onChange={(ids) => update({ actorId: ids[ids.length - 1] ?? "" })}
            placeholder="Anyone"
          />
        ) : (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-actor`}>
              Actor (user ID)
            </label>
            <input
              id={`${id}-actor`}
              className="input input-mono"
              value={view.actorId}
              placeholder="usr_…"
              onChange={(event) =>
                update({ actorId: event.target.value.trim() }, { replace: true })
              }
            />
          </div>
        )}
        <div className="field">
          <label className="field-label" htmlFor={`${id}-action`}>
            Action
          </label>
          <select
            id={`${id}-action`}
            className="input select"
            value={view.action}
            onChange={(event) => update({ action: event.target.value })}
          >
            <option value="">Any action</option>
            {auditActionGroups.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {Object.entries(group.actions).map(([action, label]) => (
                  <option key={action} value={action}>
                    {label}
                  </option>
                ))}
              </optgroup>
            ))}
            {view.action && !knownAction ? (
              <option value={view.action}>{actionLabel(view.action)}</option>
            ) : null}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-target-type`}>
            Target
          </label>
          <select
            id={`${id}-target-type`}
            className="input select"
            value={view.targetType}
            onChange={(event) => update({ targetType: event.target.value })}
          >
            <option value="">Anything</option>
            {auditTargetTypes.map((type) => (
              <option key={type} value={type}>
                {targetTypeLabels[type]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-target-id`}>
            Target ID
          </label>
          <input
            id={`${id}-target-id`}
            className="input input-mono"
            type="search"
            placeholder="tok_…, usr_…, rol_…"
            maxLength={64}
            value={targetId}
            onChange={(event) => setTargetId(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") update({ targetId }, { replace: true });
            }}
          />
        </div>
      </div>
      <div className="filters-footer">
        <div className="time-range">
          <div className="field">
            <label className="field-label" htmlFor={`${id}-from`}>
              From
            </label>
            <input
              id={`${id}-from`}
              className="input"
              type="datetime-local"
              value={view.from}
              max={view.until || undefined}
              onChange={(event) => update({ from: event.target.value })}
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-until`}>
              Until
            </label>
            <input
              id={`${id}-until`}
              className="input"
              type="datetime-local"
              value={view.until}
              min={view.from || undefined}
              onChange={(event) => update({ until: event.target.value })}
            />
          </div>
        </div>
        <fieldset className="quick-choices">
          <legend className="visually-hidden">Quick time ranges</legend>
          {quickRanges.map((range) => (
            <button
              key={range.label}
              type="button"
              className="chip-button"
              onClick={() => update({ from: localAgo(range.hours), until: "" })}
            >
              {range.label}
            </button>
          ))}
        </fieldset>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            setTargetId("");
            update(clearedAuditFilters);
          }}
          disabled={!hasAuditFilters(view)}
          leading={<Icon name="refresh" size={14} />}
        >
          Reset filters
        </Button>
      </div>
    </section>
  );
}
