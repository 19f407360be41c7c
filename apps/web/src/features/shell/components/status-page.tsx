import type { ReactNode } from "react";
import { Icon, type IconName } from "../../../components/ui/icons.tsx";

export interface StatusPanelProps {
  icon: IconName;
  tone?: "neutral" | "warning" | "danger";
  /** Small label above the title, e.g. "Error 404". */
  eyebrow?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}

/** A designed full-panel message for "not found", "not permitted" and "cannot connect". */
export function StatusPanel({
  icon,
  tone = "neutral",
  eyebrow,
  title,
  children,
  actions,
}: StatusPanelProps) {
  return (
    <div className={`status-panel status-${tone}`}>
      <span className="status-icon">
        <Icon name={icon} size={28} />
      </span>
      {eyebrow ? <p className="status-eyebrow">{eyebrow}</p> : null}
      <h1 className="status-title">{title}</h1>
      {children ? <div className="status-text">{children}</div> : null}
      {actions ? <div className="status-actions">{actions}</div> : null}
    </div>
  );
}
