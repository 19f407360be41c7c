import { Link, useLocation } from "react-router";
import { buttonClassName } from "../../components/ui/button.tsx";
import { StatusPanel } from "../../features/shell/components/status-page.tsx";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

export function Component() {
  useDocumentTitle("Page not found");
  const location = useLocation();
  return (
    <div className="page page-centered">
      <StatusPanel
        icon="compass"
        eyebrow="Error 404"
        title="Page not found"
        actions={
          <Link to="/" className={buttonClassName({ variant: "primary" })}>
            Go to the start page
          </Link>
        }
      >
        <p>
          There is no page at <code className="code">{location.pathname}</code>. Check the address,
          or start again from the beginning.
        </p>
      </StatusPanel>
    </div>
  );
}
