import { type ReactNode, useEffect, useId, useRef } from "react";
import { Icon } from "./icons.tsx";

export interface DialogProps {
  open: boolean;
  /** Called for Escape, the close button and (if allowed) a click on the backdrop. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom, primary action last. */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  /** False while something must not be interrupted (a request in flight, an unsaved secret). */
  dismissible?: boolean;
  /** Close when the dimmed area around the dialog is clicked. Off by default for forms. */
  closeOnBackdropClick?: boolean;
  /** Danger tone for destructive confirmations. */
  tone?: "default" | "danger";
  className?: string;
}

/**
 * A modal built on the native <dialog>: showModal() gives the focus trap, inert background and
 * Escape handling for free. Focus goes back to whatever opened the dialog when it closes.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  dismissible = true,
  closeOnBackdropClick = false,
  tone = "default",
  className,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // Read the latest values from the event handlers without re-running the open/close effect.
  const latest = useRef({ onClose, dismissible });
  useEffect(() => {
    latest.current = { onClose, dismissible };
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first focusable element; a field marked data-autofocus wins.
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();

    const onCancel = (event: Event) => {
      // Escape: the parent owns the open state, so ask it to close instead of closing ourselves.
      event.preventDefault();
      if (latest.current.dismissible) latest.current.onClose();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [open]);

  if (!open) return null;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard equivalent of a backdrop click is Escape, handled by the "cancel" listener above
    <dialog
      ref={ref}
      className={["dialog", `dialog-${size}`, `dialog-tone-${tone}`, className ?? ""]
        .filter(Boolean)
        .join(" ")}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClick={(event) => {
        // A click whose target is the <dialog> itself landed on the backdrop, not the content.
        if (closeOnBackdropClick && dismissible && event.target === event.currentTarget) onClose();
      }}
    >
      <div className="dialog-panel">
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {description ? (
            <p id={descriptionId} className="dialog-description">
              {description}
            </p>
          ) : null}
        </header>
        {children ? <div className="dialog-body">{children}</div> : null}
        {footer ? <footer className="dialog-footer">{footer}</footer> : null}
        {/* Last in the DOM (shown top right) so showModal() focuses the first field or button. */}
        {dismissible ? (
          <button
            type="button"
            className="icon-button dialog-close"
            onClick={onClose}
            aria-label="Close"
          >
            <Icon name="close" size={18} />
          </button>
        ) : null}
      </div>
    </dialog>
  );
}
