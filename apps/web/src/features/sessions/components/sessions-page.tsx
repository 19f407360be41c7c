import type { SessionInfo } from "@keyward/contracts/sessions";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { pageHeading } from "../../../app/navigation.ts";
import { Button, buttonClassName } from "../../../components/ui/button.tsx";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Spinner } from "../../../components/ui/spinner.tsx";
import { LoadError } from "../../../components/ui/table-states.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { useEndOwnSession } from "../api/end-own-session.ts";
import { ownSessionsQueryOptions } from "../api/list-own-sessions.ts";
import { describeUserAgent, sessionKindLabels } from "./describe-session.ts";
import { SessionsTable } from "./sessions-table.tsx";

/** Profile → Sessions: where I am signed in, and a way to end any of it. */
export function SessionsPage() {
  const sessions = useQuery(ownSessionsQueryOptions());
  const end = useEndOwnSession();
  const { toast } = useToast();
  const [signingOut, setSigningOut] = useState<SessionInfo | null>(null);
  const [endingOthers, setEndingOthers] = useState(false);
  const [endingId, setEndingId] = useState<string | null>(null);

  const items = sessions.data?.items ?? [];
  const others = items.filter((session) => !session.current);

  const endOne = (session: SessionInfo) => {
    if (session.current) {
      end.reset();
      setSigningOut(session);
      return;
    }
    setEndingId(session.id);
    end.mutate(
      { id: session.id, current: false },
      {
        onSuccess: () =>
          toast({
            tone: "success",
            title: "Session ended",
            description: `${sessionKindLabels[session.kind]} · ${describeUserAgent(session.userAgent)}`,
          }),
        onError: (error) =>
          toast({ tone: "error", title: "The session was not ended", description: error.message }),
        onSettled: () => setEndingId(null),
      },
    );
  };

  const endOthers = async () => {
    setEndingOthers(true);
    const results = await Promise.allSettled(
      others.map((session) => end.mutateAsync({ id: session.id, current: false })),
    );
    setEndingOthers(false);
    const failed = results.filter((result) => result.status === "rejected").length;
    if (failed === 0) {
      toast({
        tone: "success",
        title: `${others.length} ${others.length === 1 ? "session" : "sessions"} ended`,
        description: "Only this browser is still signed in.",
      });
    } else {
      toast({
        tone: "error",
        title: `${failed} of ${others.length} sessions were not ended`,
        description: "Try again; the list shows what is still active.",
      });
    }
  };

  let message = null;
  if (sessions.isError && !sessions.data) {
    message = (
      <LoadError
        title="Your sessions could not be loaded"
        error={sessions.error}
        onRetry={() => void sessions.refetch()}
        retrying={sessions.isFetching}
      />
    );
  } else if (sessions.data && items.length === 0) {
    message = (
      <EmptyState
        icon="monitor"
        title="No active sessions"
        description="Sessions appear here while you are signed in somewhere."
        className="empty-state-inline"
      />
    );
  }

  return (
    <SectionPage
      {...pageHeading("profile.sessions")}
      actions={
        <Link to="/cli-auth" className={buttonClassName({ variant: "secondary" })}>
          <Icon name="terminal" size={16} />
          Create a command-line token
        </Link>
      }
    >
      <div className="table-card">
        <div className="table-toolbar">
          <p className="table-summary" aria-live="polite">
            {sessions.data ? (
              <>
                <strong>{items.length}</strong> active {items.length === 1 ? "session" : "sessions"}
              </>
            ) : (
              <span className="muted">Loading sessions…</span>
            )}
          </p>
          <div className="toolbar-actions">
            {sessions.isFetching && !sessions.isPending ? (
              <Spinner size={16} label="Updating" className="table-spinner" />
            ) : null}
            {others.length > 0 ? (
              <Button
                size="sm"
                onClick={() => void endOthers()}
                pending={endingOthers}
                pendingLabel="Ending sessions…"
                leading={<Icon name="signOut" size={14} />}
              >
                End all other sessions
              </Button>
            ) : null}
          </div>
        </div>
        <SessionsTable
          label="Your sessions"
          sessions={items}
          loading={sessions.isPending}
          message={message}
          endingId={endingId}
          onEnd={endOne}
          markCurrent
        />
      </div>
      <p className="page-footnote">
        Browser sessions end after the time your administrator has set. Command-line sessions come
        from{" "}
        <Link to="/cli-auth">
          <code className="code">/cli-auth</code>
        </Link>{" "}
        and are listed here until they expire or you end them.
      </p>

      <ConfirmDialog
        open={signingOut !== null}
        title="Sign out of this browser?"
        confirmLabel="Sign out"
        pendingLabel="Signing out…"
        pending={end.isPending}
        error={end.isError ? end.error.message : null}
        onCancel={() => setSigningOut(null)}
        onConfirm={() => {
          if (signingOut) end.mutate({ id: signingOut.id, current: true });
        }}
      >
        <p>
          This is the session you are using now. Ending it signs you out here; your other sessions
          stay active.
        </p>
      </ConfirmDialog>
    </SectionPage>
  );
}
