import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Logo } from "../../../components/ui/logo.tsx";
import { type ApiError, isApiError } from "../../../lib/api-error.ts";
import { useDocumentTitle } from "../../../lib/use-document-title.ts";
import { StatusPanel } from "./status-page.tsx";

export interface ServerUnavailableProps {
  error: unknown;
  onRetry: () => void;
  retrying: boolean;
}

function describe(error: unknown): string {
  if (!isApiError(error)) return "Something unexpected happened while loading Keyward.";
  const apiError: ApiError = error;
  if (apiError.status === 0) {
    return "Your browser could not reach the Keyward server. Check your connection; if it is fine, the server may be restarting.";
  }
  if (apiError.isUnavailable) {
    return "The Keyward server is running but cannot serve requests right now, usually because its database is not answering.";
  }
  return apiError.message;
}

/** Full-page state when we cannot even learn who is signed in. */
export function ServerUnavailable({ error, onRetry, retrying }: ServerUnavailableProps) {
  useDocumentTitle("Cannot connect");
  const requestId = isApiError(error) ? error.requestId : null;
  return (
    <div className="standalone">
      <header className="standalone-header">
        <Logo size={28} />
      </header>
      <main id="main" className="standalone-main">
        <StatusPanel
          icon="cloudOff"
          tone="warning"
          title="Keyward is not reachable right now"
          actions={
            <Button
              variant="primary"
              onClick={onRetry}
              pending={retrying}
              pendingLabel="Retrying…"
              leading={<Icon name="refresh" size={16} />}
            >
              Retry
            </Button>
          }
        >
          <p>{describe(error)}</p>
          {requestId ? <p className="status-meta">Request ID: {requestId}</p> : null}
        </StatusPanel>
      </main>
    </div>
  );
}
