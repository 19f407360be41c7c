import type { ReactNode } from "react";
import { Icon, type IconName } from "./icons.tsx";

export type AlertTone = "info" | "success" | "warning" | "danger";

export interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  /** Buttons or links shown under the text. */
  actions?: ReactNode;
  /**
   * "alert" interrupts screen readers (errors after an action), "status" waits politely, and
   * "none" is for alerts that are part of the page from the start.
   */
  live?: "alert" | "status" | "none";
  className?: string;
  id?: string;
}

const toneIcons: Record<AlertTone, IconName> = {
  info: "info",
  success: "check",
  warning: "alert",
  danger: "errorCircle",
};

export function Alert({
  tone = "info",
  title,
  children,
  actions,
  live = tone === "danger" ? "alert" : "status",
  className,
  id,
}: AlertProps) {
  return (
    <div
      id={id}
      className={["alert", `alert-${tone}`, className].filter(Boolean).join(" ")}
      role={live === "none" ? undefined : live}
    >
      <Icon name={toneIcons[tone]} size={20} className="icon alert-icon" />
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        {children ? <div className="alert-text">{children}</div> : null}
        {actions ? <div className="alert-actions">{actions}</div> : null}
      </div>
    </div>
  );
}
