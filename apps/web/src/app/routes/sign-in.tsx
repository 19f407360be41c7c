import { useEffect, useState } from "react";
import { Navigate, useSearchParams } from "react-router";
import { Alert } from "../../components/ui/alert.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Logo } from "../../components/ui/logo.tsx";
import { LoadingState } from "../../components/ui/spinner.tsx";
import { useMe } from "../../features/auth/api/get-me.ts";
import {
  clearSessionNotice,
  peekSessionNotice,
  sessionNoticeMessages,
} from "../../features/auth/api/session-notice.ts";
import { SignInForm } from "../../features/auth/components/sign-in-form.tsx";
import { safeNextPath } from "../../lib/redirect.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";
import { homePathFor } from "../navigation.ts";

export function Component() {
  useDocumentTitle("Sign in");
  const me = useMe();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  // Read once: the notice explains how we got here and should not come back on later visits.
  const [notice] = useState(peekSessionNotice);
  useEffect(() => {
    clearSessionNotice();
  }, []);

  if (me.data) return <Navigate to={next ?? homePathFor(me.data)} replace />;

  return (
    <div className="auth-page">
      <main id="main" className="auth-main">
        <div className="auth-brand">
          <Logo size={40} />
        </div>
        <div className="auth-card">
          <h1 className="auth-title">Sign in</h1>
          <p className="auth-subtitle">Use your Keyward username and password.</p>
          {me.isPending ? (
            <LoadingState label="Checking your session…" />
          ) : (
            <div className="stack">
              {notice ? (
                <Alert tone={notice === "signed_out" ? "success" : "info"} live="status">
                  {sessionNoticeMessages[notice]}
                </Alert>
              ) : null}
              {me.isError ? (
                <Alert
                  tone="warning"
                  live="status"
                  title="Keyward is not reachable"
                  actions={
                    <Button
                      size="sm"
                      onClick={() => void me.refetch()}
                      pending={me.isFetching}
                      pendingLabel="Retrying…"
                    >
                      Retry
                    </Button>
                  }
                >
                  Signing in may fail until the server answers again.
                </Alert>
              ) : null}
              <SignInForm />
            </div>
          )}
        </div>
        <p className="auth-footnote">
          Forgotten your password? Ask a Keyward administrator to set a new one.
        </p>
      </main>
    </div>
  );
}
