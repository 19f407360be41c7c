import { Link } from "react-router";
import { buttonClassName } from "../../../components/ui/button.tsx";
import { useDocumentTitle } from "../../../lib/use-document-title.ts";
import { StatusPanel } from "./status-page.tsx";

export interface NotPermittedProps {
  /** The page that was asked for, e.g. "Users". */
  pageLabel: string;
  roleName: string;
}

/** Shown in place of a page the user's role may not use; never a blank page or a redirect. */
export function NotPermitted({ pageLabel, roleName }: NotPermittedProps) {
  useDocumentTitle("Not permitted");
  return (
    <div className="page page-centered">
      <StatusPanel
        icon="lock"
        tone="warning"
        title="Not permitted"
        actions={
          <Link to="/" className={buttonClassName({ variant: "primary" })}>
            Go to the start page
          </Link>
        }
      >
        <p>
          Your role, <strong>{roleName}</strong>, does not include access to{" "}
          <strong>{pageLabel}</strong>. If you need it, ask an administrator to change your role.
        </p>
      </StatusPanel>
    </div>
  );
}
