import type { UserDto } from "@keyward/contracts/users";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { LoadError, SkeletonRows, TableMessageRow } from "../../../components/ui/table-states.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { USER_TOKENS_SHOWN, userTokensQueryOptions } from "../api/list-user-tokens.ts";

function expiryText(expiresAt: string | null): ReactNode {
  if (!expiresAt) return <span className="muted">Never</span>;
  const past = new Date(expiresAt).getTime() <= Date.now();
  return (
    <time dateTime={expiresAt} title={formatDateTime(expiresAt)}>
      {past ? <span className="badge badge-danger">Expired</span> : formatRelative(expiresAt)}
    </time>
  );
}

/** A read-only look at a user's newest tokens, with the way to manage them on the tokens page. */
export function UserTokensPanel({ user }: { user: UserDto }) {
  const id = useId();
  const tokens = useQuery(userTokensQueryOptions(user.id));
  const allPath = `/admin/tokens?userId=${encodeURIComponent(user.id)}`;
  const items = tokens.data?.items ?? [];
  const total = tokens.data?.total ?? 0;
  const columns = 4;

  let body: ReactNode;
  if (tokens.isPending) body = <SkeletonRows columns={columns} rows={2} />;
  else if (tokens.isError)
    body = (
      <TableMessageRow columns={columns}>
        <LoadError
          title="The tokens could not be loaded"
          error={tokens.error}
          onRetry={() => void tokens.refetch()}
          retrying={tokens.isFetching}
        />
      </TableMessageRow>
    );
  else if (items.length === 0)
    body = (
      <TableMessageRow columns={columns}>
        <EmptyState
          icon="key"
          headingLevel={3}
          title="No API tokens"
          description={`${user.displayName || user.username} has no API tokens.`}
          className="empty-state-inline"
        />
      </TableMessageRow>
    );
  else
    body = items.map((token) => (
      <tr key={token.id}>
        <td className="col-name">
          <div className="token-name-cell">
            <Link to={`/admin/tokens/${token.id}`} className="token-name-link">
              {token.name}
            </Link>
            <span className="token-id">{token.id}</span>
          </div>
        </td>
        <td>
          <span className={`status-pill status-pill-${token.status}`}>
            <span className="status-dot" aria-hidden="true" />
            {token.status === "enabled" ? "Enabled" : "Disabled"}
          </span>
        </td>
        <td>{expiryText(token.expiresAt)}</td>
        <td>
          {token.lastUsedAt ? (
            <time dateTime={token.lastUsedAt} title={formatDateTime(token.lastUsedAt)}>
              {formatRelative(token.lastUsedAt)}
            </time>
          ) : (
            <span className="muted">Never used</span>
          )}
        </td>
      </tr>
    ));

  return (
    <section className="panel panel-flush" aria-labelledby={`${id}-title`}>
      <div className="panel-heading">
        <h2 id={`${id}-title`} className="panel-title">
          API tokens {tokens.data ? <span className="count-badge">{total}</span> : null}
        </h2>
        <Link to={allPath} className="panel-link">
          Manage on the API tokens page
          <Icon name="chevronRight" size={14} />
        </Link>
      </div>
      {user.status === "disabled" && items.length > 0 ? (
        <p className="panel-note">
          <Icon name="lock" size={14} /> These tokens are refused while the user is disabled.
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="data-table" aria-label={`API tokens of ${user.username}`}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>{body}</tbody>
        </table>
      </div>
      {total > USER_TOKENS_SHOWN ? (
        <p className="panel-more">
          Showing the newest {USER_TOKENS_SHOWN} of {total}.{" "}
          <Link to={allPath}>See all {total} tokens</Link>
        </p>
      ) : null}
    </section>
  );
}
