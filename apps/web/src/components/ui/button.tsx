import type { ButtonHTMLAttributes, ReactNode, Ref } from "react";
import { Spinner } from "./spinner.tsx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md" | "lg";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner, sets aria-busy and blocks clicks while an action runs. */
  pending?: boolean;
  /** Text for screen readers while pending, e.g. "Signing in…". Defaults to the children. */
  pendingLabel?: string;
  /** An icon (or any node) before the label. */
  leading?: ReactNode;
  /** Stretch to the container's width. */
  block?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function buttonClassName({
  variant = "secondary",
  size = "md",
  block = false,
  className,
}: Pick<ButtonProps, "variant" | "size" | "block" | "className">): string {
  return ["btn", `btn-${variant}`, `btn-${size}`, block ? "btn-block" : "", className ?? ""]
    .filter(Boolean)
    .join(" ");
}

export function Button({
  variant = "secondary",
  size = "md",
  pending = false,
  pendingLabel,
  leading,
  block = false,
  className,
  children,
  disabled,
  type = "button",
  onClick,
  ref,
  ...rest
}: ButtonProps) {
  return (
    <button
      ref={ref}
      type={type}
      className={buttonClassName({ variant, size, block, className })}
      disabled={disabled}
      aria-disabled={pending || undefined}
      aria-busy={pending || undefined}
      onClick={(event) => {
        // Keep the button focusable while pending (so focus is not lost) but ignore clicks.
        if (pending) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
      {...rest}
    >
      {pending ? <Spinner size={size === "sm" ? 14 : 16} label={null} /> : leading}
      <span className="btn-label">{pending && pendingLabel ? pendingLabel : children}</span>
    </button>
  );
}
