import type { SessionInfo } from "@keyward/contracts/sessions";
import type { UserDetail } from "@keyward/contracts/users";
import { useId, useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import {
  describeUserAgent,
  sessionKindLabels,
} from "../../sessions/components/describe-session.ts";
import { SessionsTable } from "../../sessions/components/sessions-table.tsx";
import { useEndUserSession } from "../api/end-user-session.ts";
import { useEndUserSessions } from "../api/end-user-sessions.ts";

/** A user's active sessions, as an administrator sees them: end one, or all. */
export function UserSessionsPanel({ user, isSelf }: { user: UserDetail; isSelf: boolean }) {
  const id = useId();
  const endOne = useEndUserSession();
  const endAll = useEndUserSessions();
  const { toast } = useToast();
  const [endingId, setEndingId] = useState<string | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const name = user.displayName || user.username;

  const end = (session: SessionInfo) => {
    setEndingId(session.id);
    endOne.mutate(
      { userId: user.id, sessionId: session.id },
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

  return (
    <section className="panel panel-flush" aria-labelledby={`${id}-title`}>
      <div className="panel-heading">
        <h2 id={`${id}-title`} className="panel-title">
          Sessions <span className="count-badge">{user.sessions.length}</span>
        </h2>
        {user.sessions.length > 0 ? (
          <Button
            size="sm"
            onClick={() => {
              endAll.reset();
              setConfirmAll(true);
            }}
            leading={<Icon name="signOut" size={14} />}
          >
            End all sessions
          </Button>
        ) : null}
      </div>
      <SessionsTable
        label={`Sessions of ${user.username}`}
        sessions={user.sessions}
        loading={false}
        markCurrent={isSelf}
        message={
          user.sessions.length === 0 ? (
            <EmptyState
              icon="monitor"
              headingLevel={3}
              title="No active sessions"
              description={
                user.status === "disabled"
                  ? "Disabled users have no sessions."
                  : `${name} is not signed in anywhere right now.`
              }
              className="empty-state-inline"
            />
          ) : undefined
        }
        endingId={endingId}
        onEnd={end}
      />
      <ConfirmDialog
        open={confirmAll}
        title={`Sign ${name} out everywhere?`}
        confirmLabel="End all sessions"
        pendingLabel="Ending…"
        tone="danger"
        pending={endAll.isPending}
        error={endAll.isError ? endAll.error.message : null}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() =>
          endAll.mutate(
            { userId: user.id },
            {
              onSuccess: ({ ended }) => {
                setConfirmAll(false);
                toast({
                  tone: "success",
                  title: `${ended} ${ended === 1 ? "session" : "sessions"} ended`,
                  description: `${name} has to sign in again. Their API tokens are not affected.`,
                });
              },
            },
          )
        }
      >
        <p>
          Every browser and command-line session of <strong>{user.username}</strong> ends now
          {isSelf ? ", including this one: you will be signed out" : ""}. Their API tokens keep
          working.
        </p>
      </ConfirmDialog>
    </section>
  );
}
