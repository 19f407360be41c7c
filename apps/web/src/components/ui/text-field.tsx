import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
  useId,
} from "react";

interface FieldProps {
  label: ReactNode;
  /** Help shown under the control. */
  hint?: ReactNode;
  /** Error message; marks the control invalid and is announced with it. */
  error?: ReactNode;
  /** Hide the label visually but keep it for screen readers. */
  hideLabel?: boolean;
  /** Say "(optional)" after the label. */
  optional?: boolean;
}

/** Ids and ARIA wiring shared by every labelled control. */
function useFieldIds(id: string | undefined, props: FieldProps, describedBy: string | undefined) {
  const generatedId = useId();
  const controlId = id ?? `field-${generatedId}`;
  const hintId = props.hint ? `${controlId}-hint` : undefined;
  const errorId = props.error ? `${controlId}-error` : undefined;
  return {
    controlId,
    hintId,
    errorId,
    describedBy: [describedBy, hintId, errorId].filter(Boolean).join(" ") || undefined,
  };
}

/** Label, control, hint and error, laid out the same way for inputs and text areas. */
function FieldFrame({
  props,
  ids,
  required,
  className,
  children,
}: {
  props: FieldProps;
  ids: ReturnType<typeof useFieldIds>;
  required: boolean | undefined;
  className: string | undefined;
  children: ReactNode;
}) {
  return (
    <div
      className={["field", props.error ? "field-invalid" : "", className ?? ""]
        .filter(Boolean)
        .join(" ")}
    >
      <label
        htmlFor={ids.controlId}
        className={props.hideLabel ? "visually-hidden" : "field-label"}
      >
        {props.label}
        {required ? (
          <span className="field-required" aria-hidden="true">
            {" "}
            *
          </span>
        ) : null}
        {props.optional ? <span className="field-optional"> (optional)</span> : null}
      </label>
      {children}
      {props.hint ? (
        <p id={ids.hintId} className="field-hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={ids.errorId} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export interface TextFieldProps
  extends FieldProps,
    Omit<InputHTMLAttributes<HTMLInputElement>, "size"> {
  /** A control inside the input's right edge (e.g. "show password"). */
  trailing?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input; works with react-hook-form's `register()` (the ref is passed through). */
export function TextField({
  label,
  hint,
  error,
  trailing,
  hideLabel = false,
  optional,
  id,
  className,
  required,
  ref,
  ...inputProps
}: TextFieldProps) {
  const field = { label, hint, error, hideLabel, optional };
  const ids = useFieldIds(id, field, inputProps["aria-describedby"]);
  return (
    <FieldFrame props={field} ids={ids} required={required} className={className}>
      <div className={trailing ? "field-control field-control-trailing" : "field-control"}>
        <input
          ref={ref}
          id={ids.controlId}
          className="input"
          required={required}
          aria-invalid={error ? true : undefined}
          {...inputProps}
          aria-describedby={ids.describedBy}
        />
        {trailing ? <div className="field-trailing">{trailing}</div> : null}
      </div>
    </FieldFrame>
  );
}

export interface TextAreaFieldProps
  extends FieldProps,
    TextareaHTMLAttributes<HTMLTextAreaElement> {
  /** Extra classes for the text area itself (e.g. `input-mono`). */
  textareaClassName?: string;
  ref?: Ref<HTMLTextAreaElement>;
}

/** A labelled text area, with the same layout and ARIA wiring as TextField. */
export function TextAreaField({
  label,
  hint,
  error,
  hideLabel = false,
  optional,
  id,
  className,
  textareaClassName,
  required,
  ref,
  ...textareaProps
}: TextAreaFieldProps) {
  const field = { label, hint, error, hideLabel, optional };
  const ids = useFieldIds(id, field, textareaProps["aria-describedby"]);
  return (
    <FieldFrame props={field} ids={ids} required={required} className={className}>
      <textarea
        ref={ref}
        id={ids.controlId}
        className={["input textarea", textareaClassName ?? ""].filter(Boolean).join(" ")}
        required={required}
        aria-invalid={error ? true : undefined}
        {...textareaProps}
        aria-describedby={ids.describedBy}
      />
    </FieldFrame>
  );
}
