import { type InputHTMLAttributes, type ReactNode, type Ref, useState } from "react";
import { Icon } from "../../../components/ui/icons.tsx";
import { TextField } from "../../../components/ui/text-field.tsx";

export interface PasswordFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, "size" | "type"> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Controlled visibility (e.g. shown after generating a password); internal when absent. */
  visible?: boolean;
  onVisibleChange?: (visible: boolean) => void;
  ref?: Ref<HTMLInputElement>;
}

/** A new-password field with a show/hide switch, so an administrator can read what they type. */
export function PasswordField({
  label,
  hint,
  error,
  visible: controlledVisible,
  onVisibleChange,
  ref,
  ...rest
}: PasswordFieldProps) {
  const [ownVisible, setOwnVisible] = useState(false);
  const visible = controlledVisible ?? ownVisible;
  const setVisible = (next: boolean) => {
    setOwnVisible(next);
    onVisibleChange?.(next);
  };
  return (
    <TextField
      ref={ref}
      label={label}
      type={visible ? "text" : "password"}
      autoComplete="new-password"
      spellCheck={false}
      hint={hint}
      error={error}
      trailing={
        <button
          type="button"
          className="icon-button"
          onClick={() => setVisible(!visible)}
          aria-label={visible ? "Hide password" : "Show password"}
          aria-pressed={visible}
        >
          <Icon name={visible ? "eyeOff" : "eye"} size={18} />
        </button>
      }
      {...rest}
    />
  );
}
