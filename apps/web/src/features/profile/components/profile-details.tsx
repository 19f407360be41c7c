import type { Me } from "@keyward/contracts/auth";
import { expandPermissions, permissionLabels } from "@keyward/contracts/permissions";
import { Icon } from "../../../components/ui/icons.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";

/** Who the signed-in user is, which role they hold and what that role lets them do. */
export function ProfileDetails({ me }: { me: Me }) {
  const permissions = expandPermissions(me.role.permissions);
  return (
    <div className="profile-grid">
      <section className="panel" aria-labelledby="profile-account">
        <h2 id="profile-account" className="panel-title">
          Account
        </h2>
        <dl className="details">
          <div className="details-row">
            <dt>Display name</dt>
            <dd>{me.displayName || <span className="muted">Not set</span>}</dd>
          </div>
          <div className="details-row">
            <dt>Username</dt>
            <dd>
              <code className="code">{me.username}</code>
            </dd>
          </div>
          <div className="details-row">
            <dt>Email</dt>
            <dd>{me.email ?? <span className="muted">Not set</span>}</dd>
          </div>
          <div className="details-row">
            <dt>Role</dt>
            <dd>
              <span className="badge badge-accent">{me.role.name}</span>
            </dd>
          </div>
          {me.sessionExpiresAt ? (
            <div className="details-row">
              <dt>This session ends</dt>
              <dd>
                <time dateTime={me.sessionExpiresAt}>{formatDateTime(me.sessionExpiresAt)}</time>{" "}
                <span className="muted">({formatRelative(me.sessionExpiresAt)})</span>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section className="panel" aria-labelledby="profile-permissions">
        <h2 id="profile-permissions" className="panel-title">
          Permissions of the {me.role.name} role
        </h2>
        {permissions.length > 0 ? (
          <ul className="permission-list">
            {permissions.map((permission) => (
              <li key={permission}>
                <Icon name="check" size={18} className="icon permission-icon" />
                <span>
                  {permissionLabels[permission]}
                  <code className="code code-quiet">{permission}</code>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">
            This role grants no permissions beyond signing in and looking after your own profile and
            sessions.
          </p>
        )}
        <p className="panel-footnote">Roles are assigned by an administrator.</p>
      </section>
    </div>
  );
}
