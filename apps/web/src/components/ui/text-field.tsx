import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from "react";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "size"> {
  label: ReactNode;
  /** Help shown under the input until there is an error. */
  hint?: ReactNode;
  /** Error message; marks the input invalid and is announced with it. */
  error?: ReactNode;
  /** A control inside the input's right edge (e.g. "show password"). */
  trailing?: ReactNode;
  /** Hide the label visually but keep it for screen readers. */
  hideLabel?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input; works with react-hook-form's `register()` (the ref is passed through). */
export function TextField({
  label,
  hint,
  error,
  trailing,
  hideLabel = false,
  id,
  className,
  required,
  ref,
  ...inputProps
}: TextFieldProps) {
  const generatedId = useId();
  const inputId = id ?? `field-${generatedId}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy =
    [inputProps["aria-describedby"], hintId, errorId].filter(Boolean).join(" ") || undefined;

  return (
    <div
      className={["field", error ? "field-invalid" : "", className ?? ""].filter(Boolean).join(" ")}
    >
      <label htmlFor={inputId} className={hideLabel ? "visually-hidden" : "field-label"}>
        {label}
        {required ? (
          <span className="field-required" aria-hidden="true">
            {" "}
            *
          </span>
        ) : null}
      </label>
      <div className={trailing ? "field-control field-control-trailing" : "field-control"}>
        <input
          ref={ref}
          id={inputId}
          className="input"
          required={required}
          aria-invalid={error ? true : undefined}
          {...inputProps}
          aria-describedby={describedBy}
        />
        {trailing ? <div className="field-trailing">{trailing}</div> : null}
      </div>
      {hint ? (
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
