import type { UserDetail } from "@keyward/contracts/users";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { pageHeading, permissionSetOf } from "../../../app/navigation.ts";
import { buttonClassName } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { Skeleton } from "../../../components/ui/spinner.tsx";
import { LoadError } from "../../../components/ui/table-states.tsx";
import { isApiError } from "../../../lib/api-error.ts";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { useDocumentTitle } from "../../../lib/use-document-title.ts";
import { UserHistoryPanel } from "../../audit/components/audit-history-panel.tsx";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { rolesQueryOptions } from "../../roles/api/list-roles.ts";
import { StatusPanel } from "../../shell/components/status-page.tsx";
import { userQueryOptions } from "../api/get-user.ts";
import { canAssignRole } from "./role-options.tsx";
import { UserAccessPanel } from "./user-access-panel.tsx";
import { UserProfileForm } from "./user-profile-form.tsx";
import { UserRolePanel } from "./user-role-panel.tsx";
import { UserSessionsPanel } from "./user-sessions-panel.tsx";
import { UserStatusPill } from "./user-status.tsx";
import { UserTokensPanel } from "./user-tokens-panel.tsx";

const heading = pageHeading("admin.users");

function BackLink() {
  return (
    <Link to="/admin/users" className="back-link">
      <Icon name="arrowLeft" size={16} />
      Users
    </Link>
  );
}

/** /admin/users/:userId — one user: profile, role, access, sessions and tokens. */
export function UserPage({ userId }: { userId: string }) {
  const user = useQuery(userQueryOptions(userId));
  useDocumentTitle(
    user.data ? `${user.data.displayName || user.data.username} · Users` : heading.documentTitle,
  );

  if (user.isError && !user.data) {
    if (isApiError(user.error) && user.error.status === 404) {
      return (
        <div className="page page-centered">
          <StatusPanel
            icon="users"
            title="User not found"
            actions={
              <Link to="/admin/users" className={buttonClassName({ variant: "primary" })}>
                Back to Users
              </Link>
            }
          >
            <p>There is no user with this address. The link may be wrong or out of date.</p>
          </StatusPanel>
        </div>
      );
    }
    return (
      <div className="page">
        <BackLink />
        <LoadError
          title="The user could not be loaded"
          error={user.error}
          onRetry={() => void user.refetch()}
          retrying={user.isFetching}
        />
      </div>
    );
  }

  if (user.isPending) {
    return (
      <div className="page" aria-busy="true">
        <BackLink />
        <p className="visually-hidden" role="status">
          Loading the user…
        </p>
        <div className="page-header">
          <div className="page-header-text">
            <Skeleton width={140} height={12} />
            <Skeleton width={240} height={26} />
            <Skeleton width={320} height={14} />
          </div>
        </div>
        <div className="edit-grid">
          <div className="panel panel-skeleton">
            <Skeleton height={14} width="40%" />
            <Skeleton height={38} />
            <Skeleton height={38} />
          </div>
          <div className="panel panel-skeleton">
            <Skeleton height={14} />
            <Skeleton height={14} width="80%" />
            <Skeleton height={14} width="60%" />
          </div>
        </div>
      </div>
    );
  }

  return <UserView key={user.data.id} user={user.data} />;
}

function UserView({ user }: { user: UserDetail }) {
  const id = useId();
  const me = useCurrentUser();
  const callerPermissions = permissionSetOf(me);
  const isSelf = me.id === user.id;
  const canSeeTokens = callerPermissions.has("tokens.all.read");
  const roles = useQuery(rolesQueryOptions());
  const userRole = roles.data?.items.find((role) => role.id === user.role.id);
  const beyondCaller = userRole !== undefined && !canAssignRole(userRole, callerPermissions);

  return (
    <div className="page">
      <BackLink />
      <PageHeader
        eyebrow={`${heading.eyebrow} · ${heading.title}`}
        title={user.displayName || user.username}
        description={
          <span className="token-heading-meta">
            <code className="code">{user.username}</code>
            <UserStatusPill status={user.status} />
            <span className="badge badge-accent">{user.role.name}</span>
            {isSelf ? <span className="badge">You</span> : null}
          </span>
        }
      />
      {user.status === "disabled" ? (
        <p className="callout callout-warning" role="note">
          <Icon name="lock" size={16} className="icon callout-icon" />
          <span>
            <strong>Disabled.</strong> {user.username} cannot sign in and none of their API tokens
            work. Enable the user to restore both.
          </span>
        </p>
      ) : null}
      {beyondCaller && !isSelf ? (
        <p className="callout callout-info" role="note">
          <Icon name="info" size={16} className="icon callout-icon" />
          <span>
            <strong>{user.role.name}</strong> grants permissions your own role does not have, so
            Keyward will refuse changes you make to this user. Ask someone who holds all of them.
          </span>
        </p>
      ) : null}
      <div className="edit-grid user-grid">
        <div className="stack stack-lg">
          <UserProfileForm user={user} />
          <UserRolePanel user={user} isSelf={isSelf} callerPermissions={callerPermissions} />
        </div>
        <div className="stack stack-lg">
          <section className="panel" aria-labelledby={`${id}-details`}>
            <h2 id={`${id}-details`} className="panel-title">
              Details
            </h2>
            <dl className="details">
              <div className="details-row">
                <dt>User ID</dt>
                <dd>
                  <code className="code">{user.id}</code>
                </dd>
              </div>
              <div className="details-row">
                <dt>Created</dt>
                <dd>{formatDateTime(user.createdAt)}</dd>
              </div>
              <div className="details-row">
                <dt>Updated</dt>
                <dd>{formatDateTime(user.updatedAt)}</dd>
              </div>
              <div className="details-row">
                <dt>Last sign-in</dt>
                <dd>
                  {user.lastLoginAt ? (
                    <time dateTime={user.lastLoginAt} title={formatDateTime(user.lastLoginAt)}>
                      {formatRelative(user.lastLoginAt)}
                    </time>
                  ) : (
                    <span className="muted">Never</span>
                  )}
                </dd>
              </div>
            </dl>
          </section>
          <UserAccessPanel user={user} isSelf={isSelf} />
          {callerPermissions.has("audit.read") ? (
            <UserHistoryPanel userId={user.id} username={user.username} />
          ) : null}
        </div>
      </div>
      <UserSessionsPanel user={user} isSelf={isSelf} />
      {canSeeTokens ? <UserTokensPanel user={user} /> : null}
    </div>
  );
}
