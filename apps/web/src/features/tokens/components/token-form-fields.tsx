import type { ScopeCatalog } from "@keyward/contracts/scopes";
import { useId } from "react";
import { formatDateTime } from "../../../lib/format.ts";
import {
  daysFromNow,
  type LifetimePolicy,
  latestExpiry,
  toLocalInput,
} from "./token-form-schema.ts";

const quickDays = [7, 30, 60, 90] as const;
const DAY_MS = 86_400_000;

export interface ExpiryFieldsProps {
  setExpiry: boolean;
  expiresAt: string;
  onSetExpiry: (value: boolean) => void;
  onExpiresAt: (value: string) => void;
  policy: LifetimePolicy;
  error?: string | undefined;
}

/**
 * "Set expiration date and time" with a date-time field and quick choices. The policy is stated
 * and enforced here: choices past the maximum lifetime are not offered, and "never" is only
 * possible without a maximum.
 */
export function ExpiryFields({
  setExpiry,
  expiresAt,
  onSetExpiry,
  onExpiresAt,
  policy,
  error,
}: ExpiryFieldsProps) {
  const id = useId();
  const latest = latestExpiry(policy);
  const policyText =
    policy.maxMs !== null
      ? `This deployment allows tokens to live at most ${policy.maxText ?? ""}: until ${formatDateTime(latest)} for a token made now.`
      : "This deployment sets no maximum lifetime; tokens may also never expire.";

  return (
    <fieldset className="fieldset">
      <legend className="field-label">Expiry</legend>
      <label className="check">
        <input
          type="checkbox"
          className="checkbox"
          checked={setExpiry}
          disabled={!policy.neverAllowed && setExpiry}
          onChange={(event) => onSetExpiry(event.target.checked)}
          aria-describedby={`${id}-policy`}
        />
        <span>Set expiration date and time</span>
      </label>
      {setExpiry ? (
        <div className="expiry-row">
          <div className={error ? "field field-invalid" : "field"}>
            <label htmlFor={`${id}-at`} className="visually-hidden">
              Expires at
            </label>
            <input
              id={`${id}-at`}
              type="datetime-local"
              className="input expiry-input"
              value={expiresAt}
              min={toLocalInput(new Date())}
              max={latest ? toLocalInput(latest) : undefined}
              aria-invalid={error ? true : undefined}
              aria-describedby={[error ? `${id}-error` : "", `${id}-policy`].join(" ").trim()}
              onChange={(event) => onExpiresAt(event.target.value)}
            />
          </div>
          <fieldset className="quick-choices">
            <legend className="visually-hidden">Quick choices</legend>
            {quickDays.map((days) => {
              const tooLong = policy.maxMs !== null && days * DAY_MS > policy.maxMs;
              return (
                <button
                  key={days}
                  type="button"
                  className="chip-button"
                  disabled={tooLong}
                  title={tooLong ? "Longer than the maximum lifetime" : undefined}
                  onClick={() => onExpiresAt(daysFromNow(days))}
                >
                  {days} days
                </button>
              );
            })}
          </fieldset>
        </div>
      ) : (
        <p className="field-hint">
          The token never expires. Disable or delete it when no longer needed.
        </p>
      )}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <p id={`${id}-policy`} className="field-hint policy-hint">
        {policyText}
      </p>
    </fieldset>
  );
}

export interface ScopeFieldsProps {
  catalog: ScopeCatalog | undefined;
  catalogError: boolean;
  mode: "all" | "custom";
  scopes: string[];
  onMode: (mode: "all" | "custom") => void;
  onScopes: (scopes: string[]) => void;
  error?: string | undefined;
}

/** `all` (the default) or a chosen set of scopes from the server's catalog, by resource. */
export function ScopeFields({
  catalog,
  catalogError,
  mode,
  scopes,
  onMode,
  onScopes,
  error,
}: ScopeFieldsProps) {
  const id = useId();
  const allEntry = catalog?.scopes.find((entry) => entry.scope === "all");
  const toggle = (scope: string, checked: boolean) =>
    onScopes(checked ? [...new Set([...scopes, scope])] : scopes.filter((s) => s !== scope));

  return (
    <fieldset className="fieldset" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">Scopes</legend>
      <div className="radio-group">
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === "all"}
            onChange={() => onMode("all")}
          />
          <span>
            <strong>All</strong>
            <span className="check-hint">
              {allEntry?.description ?? "Everything the owner's role allows."}
            </span>
          </span>
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === "custom"}
            onChange={() => onMode("custom")}
          />
          <span>
            <strong>Only selected scopes</strong>
            <span className="check-hint">Never more than the owner's role allows.</span>
          </span>
        </label>
      </div>
      {mode === "custom" ? (
        catalogError ? (
          <p className="field-error">The scope catalog could not be loaded.</p>
        ) : (
          <div className="scope-grid">
            {(catalog?.resources ?? []).map((resource) => (
              <fieldset key={resource} className="scope-group">
                <legend className="scope-resource">{resource}</legend>
                {catalog?.scopes
                  .filter((entry) => entry.resource === resource)
                  .map((entry) => (
                    <label
                      key={entry.scope}
                      className="check check-compact"
                      title={entry.description}
                    >
                      <input
                        type="checkbox"
                        className="checkbox"
                        checked={scopes.includes(entry.scope)}
                        onChange={(event) => toggle(entry.scope, event.target.checked)}
                        aria-label={`${entry.scope}: ${entry.description}`}
                      />
                      <span className="scope-name">
                        {entry.action === "*" ? "all actions" : entry.action}
                      </span>
                    </label>
                  ))}
              </fieldset>
            ))}
          </div>
        )
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
