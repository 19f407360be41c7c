import { lazy, Suspense, useEffect, useId, useState } from "react";
import { useNavigating } from "../../../app/app-router.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { SEARCH_DEBOUNCE_MS } from "../../../lib/use-cursor-view.ts";
import {
  defaultLastUseDays,
  type ExpiryChoice,
  type LastUseChoice,
  lastUseDayChoices,
  type TokenView,
  type TokenViewApi,
  withinChoices,
} from "./token-view.ts";

// The type-ahead (search, listbox, keyboard handling) arrives just after the table; until then a
// box of the same size stands in, so nothing moves when it does.
const UserPicker = lazy(() => import("./user-picker.tsx"));

function PickerPlaceholder({ label, placeholder }: { label: string; placeholder: string }) {
  return (
    <div className="field user-picker" aria-hidden="true">
      <span className="field-label">{label}</span>
      <div className="user-picker-control">
        <span className="user-picker-input user-picker-placeholder">{placeholder}</span>
      </div>
    </div>
  );
}

/** A number of days from a few choices, plus the one in the URL if it is another. */
function DaysSelect({
  id,
  choices,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  choices: readonly number[];
  value: number;
  onChange: (days: number) => void;
  describedBy?: string | undefined;
}) {
  return (
    <select
      id={id}
      className="input select"
      value={String(value)}
      onChange={(event) => onChange(Number(event.target.value))}
      aria-describedby={describedBy}
    >
      {[...new Set([...choices, value])]
        .sort((a, b) => a - b)
        .map((days) => (
          <option key={days} value={days}>
            {days} {days === 1 ? "day" : "days"}
          </option>
        ))}
    </select>
  );
}

export interface TokenFiltersProps {
  mode: "admin" | "own";
  view: TokenView;
  update: TokenViewApi["update"];
}

/**
 * The filter panel. Every change goes to the URL at once, except typing in the name box, which
 * waits for a pause and replaces the history entry so Back does not step through each letter.
 */
export function TokenFilters({ mode, view, update }: TokenFiltersProps) {
  const id = useId();
  const [name, setName] = useState(view.name);
  // While the app moves to another page (a token's page is loading), a late name update must not
  // pull it back to the list.
  const navigating = useNavigating();

  // Follow the URL when it changes from elsewhere (back/forward, reset).
  useEffect(() => {
    setName(view.name);
  }, [view.name]);

  useEffect(() => {
    if (navigating || name.trim() === view.name.trim()) return;
    const timer = window.setTimeout(() => update({ name }, { replace: true }), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [name, view.name, update, navigating]);

  const setExpiry = (expiry: ExpiryChoice) => update({ expiry });
  const setLastUsed = (lastUsed: LastUseChoice) =>
    update({ lastUsed, lastUsedDays: defaultLastUseDays(lastUsed) });

  return (
    <section className="filters" aria-label="Filters">
      <div className="filters-grid">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-name`}>
            Name
          </label>
          <div className="input-with-icon">
            <Icon name="search" size={16} className="icon input-icon" />
            <input
              id={`${id}-name`}
              className="input"
              type="search"
              placeholder="Contains…"
              value={name}
              maxLength={64}
              onChange={(event) => setName(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") update({ name }, { replace: true });
              }}
            />
          </div>
        </div>
        {mode === "admin" ? (
          <>
            <Suspense fallback={<PickerPlaceholder label="Users" placeholder="Any user" />}>
              <UserPicker
                label="Users"
                multiple
                value={view.userIds}
                onChange={(userIds) => update({ userIds })}
                placeholder="Any user"
              />
            </Suspense>
            <Suspense fallback={<PickerPlaceholder label="Created by" placeholder="Anyone" />}>
              <UserPicker
                label="Created by"
                value={view.createdBy ? [view.createdBy] : []}
                onChange={(ids) => update({ createdBy: ids[ids.length - 1] ?? "" })}
                placeholder="Anyone"
              />
            </Suspense>
          </>
        ) : null}
        <div className="field">
          <label className="field-label" htmlFor={`${id}-status`}>
            Status
          </label>
          <select
            id={`${id}-status`}
            className="input select"
            value={view.status}
            onChange={(event) => update({ status: event.target.value as TokenView["status"] })}
          >
            <option value="">Any status</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-expiry`}>
            Expiry
          </label>
          <select
            id={`${id}-expiry`}
            className="input select"
            value={view.expiry}
            onChange={(event) => setExpiry(event.target.value as ExpiryChoice)}
          >
            <option value="">Any expiry</option>
            <option value="expired">Expired</option>
            <option value="within">Expires within…</option>
            <option value="never">Never expires</option>
            <option value="range">Expires between dates…</option>
          </select>
        </div>
        {view.expiry === "within" ? (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-within`}>
              Within
            </label>
            <DaysSelect
              id={`${id}-within`}
              choices={withinChoices}
              value={view.withinDays}
              onChange={(withinDays) => update({ withinDays })}
            />
          </div>
        ) : null}
        {view.expiry === "range" ? (
          <>
            <div className="field">
              <label className="field-label" htmlFor={`${id}-from`}>
                Expires from
              </label>
              <input
                id={`${id}-from`}
                className="input"
                type="date"
                value={view.expiresFrom}
                max={view.expiresTo || undefined}
                onChange={(event) => update({ expiresFrom: event.target.value })}
              />
            </div>
            <div className="field">
              <label className="field-label" htmlFor={`${id}-to`}>
                Expires until
              </label>
              <input
                id={`${id}-to`}
                className="input"
                type="date"
                value={view.expiresTo}
                min={view.expiresFrom || undefined}
                onChange={(event) => update({ expiresTo: event.target.value })}
              />
            </div>
          </>
        ) : null}
        <div className="field">
          <label className="field-label" htmlFor={`${id}-last-used`}>
            Last used
          </label>
          <select
            id={`${id}-last-used`}
            className="input select"
            value={view.lastUsed}
            onChange={(event) => setLastUsed(event.target.value as LastUseChoice)}
          >
            <option value="">Any time</option>
            <option value="within">Used within…</option>
            <option value="idle">Not used for…</option>
            <option value="never">Never used</option>
          </select>
        </div>
        {view.lastUsed === "within" || view.lastUsed === "idle" ? (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-last-used-days`}>
              {view.lastUsed === "within" ? "Used within" : "Not used for"}
            </label>
            <DaysSelect
              id={`${id}-last-used-days`}
              choices={lastUseDayChoices}
              value={view.lastUsedDays}
              onChange={(lastUsedDays) => update({ lastUsedDays })}
              describedBy={view.lastUsed === "idle" ? `${id}-idle-hint` : undefined}
            />
            {view.lastUsed === "idle" ? (
              <span id={`${id}-idle-hint`} className="field-hint">
                Counts never-used tokens older than that
              </span>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
