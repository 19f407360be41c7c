import type { ReactNode } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Icon, type IconName } from "../../../components/ui/icons.tsx";

/** A one-line callout above the token table, with a button that filters the table to its subject. */
export function TokenNotice({
  tone,
  icon,
  children,
  showLabel,
  onShow,
}: {
  tone: "warning" | "info";
  icon: IconName;
  children: ReactNode;
  showLabel: string;
  onShow: () => void;
}) {
  return (
    <div className={`callout callout-${tone} token-notice`} role="note">
      <Icon name={icon} size={16} className="icon callout-icon" />
      <span className="token-notice-text">{children}</span>
      <Button variant="secondary" size="sm" onClick={onShow}>
        {showLabel}
      </Button>
    </div>
  );
}
