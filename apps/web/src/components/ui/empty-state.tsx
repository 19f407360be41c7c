import type { ReactNode } from "react";
import { Icon, type IconName } from "./icons.tsx";

export interface EmptyStateProps {
  icon?: IconName;
  title: ReactNode;
  description?: ReactNode;
  /** A primary action, e.g. a "Create API token" button. */
  action?: ReactNode;
  /** Heading level for the title, so it fits the page outline. */
  headingLevel?: 2 | 3;
  className?: string;
}

export function EmptyState({
  icon = "info",
  title,
  description,
  action,
  headingLevel = 2,
  className,
}: EmptyStateProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={["empty-state", className].filter(Boolean).join(" ")}>
      <span className="empty-state-icon">
        <Icon name={icon} size={28} />
      </span>
      <Heading className="empty-state-title">{title}</Heading>
      {description ? <p className="empty-state-description">{description}</p> : null}
      {action ? <div className="empty-state-action">{action}</div> : null}
    </section>
  );
}
