import type { UserDto } from "@keyward/contracts/users";
import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Icon } from "../../../components/ui/icons.tsx";
import { Spinner } from "../../../components/ui/spinner.tsx";
import { searchUsersQueryOptions } from "../api/search-users.ts";
import { rememberUser, userLabel, useUserLabels } from "./user-labels.ts";

export interface UserPickerProps {
  label: ReactNode;
  /** Selected user ids. A single picker holds at most one. */
  value: string[];
  onChange: (ids: string[]) => void;
  multiple?: boolean;
  /** Offer only active users (a new token's owner). */
  activeOnly?: boolean;
  placeholder?: string;
  hint?: ReactNode;
  error?: ReactNode;
  id?: string;
  disabled?: boolean;
  /** Whether a picked user can be removed (a new token's owner always has one). */
  clearable?: boolean;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function describeUser(user: UserDto): string {
  return user.displayName && user.displayName !== user.username
    ? `${user.displayName} (${user.username})`
    : user.username;
}

/**
 * Type-ahead over users (ARIA combobox with a listbox popup). Arrow keys move through matches,
 * Enter picks, Escape closes; in a multiple picker the picked users show as removable chips.
 */
export function UserPicker({
  label,
  value,
  onChange,
  multiple = false,
  activeOnly = false,
  placeholder = "Search by name or username",
  hint,
  error,
  id,
  disabled = false,
  clearable = true,
}: UserPickerProps) {
  const generated = useId();
  const inputId = id ?? `user-picker-${generated}`;
  const listId = `${inputId}-list`;
  const hintId = hint && !error ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  useUserLabels();
  const search = useDebounced(text, 200);
  const users = useQuery({ ...searchUsersQueryOptions(search, activeOnly), enabled: open });
  const matches = users.data?.items ?? [];

  useEffect(() => {
    for (const user of matches) rememberUser(user.id, describeUser(user));
  }, [matches]);

  const pick = (user: UserDto) => {
    rememberUser(user.id, describeUser(user));
    if (multiple) {
      onChange(value.includes(user.id) ? value.filter((v) => v !== user.id) : [...value, user.id]);
      setText("");
    } else {
      onChange([user.id]);
      setText("");
      setOpen(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((i) => Math.min(i + 1, Math.max(matches.length - 1, 0)));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter") {
      const user = matches[active];
      if (open && user) {
        event.preventDefault();
        pick(user);
      }
    } else if (event.key === "Escape") {
      if (open) {
        // Close the list without closing a surrounding dialog.
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
      }
    } else if (event.key === "Backspace" && text === "" && multiple && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  const activeId = open && matches[active] ? `${listId}-${matches[active].id}` : undefined;

  return (
    <div className={["field", "user-picker", error ? "field-invalid" : ""].join(" ")}>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <div className="user-picker-control">
        {value.map((userId) => (
          <span key={userId} className="chip">
            <span className="chip-label">{userLabel(userId)}</span>
            {clearable ? (
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${userLabel(userId)}`}
                onClick={() => {
                  onChange(value.filter((v) => v !== userId));
                  inputRef.current?.focus();
                }}
                disabled={disabled}
              >
                <Icon name="close" size={12} />
              </button>
            ) : null}
          </span>
        ))}
        <input
          ref={inputRef}
          id={inputId}
          className="user-picker-input"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder={
            value.length === 0 ? placeholder : multiple ? "Add another" : "Search to change"
          }
          value={text}
          disabled={disabled}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => window.setTimeout(() => setOpen(false), 120)}
          onKeyDown={onKeyDown}
        />
        {users.isFetching && open ? <Spinner size={14} label={null} /> : null}
        <Icon name="chevronDown" size={16} className="icon user-picker-chevron" />
      </div>
      <div
        id={listId}
        role="listbox"
        aria-label={typeof label === "string" ? label : "Users"}
        aria-multiselectable={multiple || undefined}
        className="user-picker-list"
        hidden={!open}
      >
        {open && users.isError ? <p className="user-picker-empty">Could not load users.</p> : null}
        {open && users.isSuccess && matches.length === 0 ? (
          <p className="user-picker-empty">No users match “{search}”.</p>
        ) : null}
        {open
          ? matches.map((user, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: options are chosen with the keyboard through the combobox input (aria-activedescendant)
              <div
                key={user.id}
                tabIndex={-1}
                id={`${listId}-${user.id}`}
                role="option"
                aria-selected={value.includes(user.id)}
                className={index === active ? "user-option user-option-active" : "user-option"}
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => setActive(index)}
                onClick={() => pick(user)}
              >
                <span className="user-option-name">{user.displayName || user.username}</span>
                <span className="user-option-meta">
                  {user.username} · {user.role.name}
                  {user.status === "disabled" ? " · disabled" : ""}
                </span>
                {value.includes(user.id) ? (
                  <Icon name="check" size={16} className="icon user-option-check" />
                ) : null}
              </div>
            ))
          : null}
      </div>
      {hint && !error ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Default export for React.lazy (the token filters load the picker after the table). */
export default UserPicker;
