import type { UserSort, UserStatus } from "@keyward/contracts/users";
import type { CursorView } from "../../../lib/use-cursor-view.ts";
import type { UsersQuery } from "../api/list-users.ts";

// The users list's filters, sort and page live in the URL, so a link opens the same view.

export const userPageSizes = [10, 25, 50, 100] as const;
export const DEFAULT_USER_PAGE_SIZE = 25;
export const DEFAULT_USER_SORT: UserSort = "username";
const sorts: readonly UserSort[] = [
  "username",
  "-username",
  "displayName",
  "-displayName",
  "createdAt",
  "-createdAt",
];

export interface UserView extends CursorView {
  q: string;
  roleId: string;
  status: UserStatus | "";
  sort: UserSort;
  limit: number;
}

export function readUserView(params: URLSearchParams): UserView {
  const status = params.get("status");
  const sort = params.get("sort") as UserSort | null;
  const limit = Number(params.get("limit"));
  return {
    q: (params.get("q") ?? "").slice(0, 128),
    roleId: (params.get("roleId") ?? "").slice(0, 64),
    status: status === "active" || status === "disabled" ? status : "",
    sort: sort && sorts.includes(sort) ? sort : DEFAULT_USER_SORT,
    limit: (userPageSizes as readonly number[]).includes(limit) ? limit : DEFAULT_USER_PAGE_SIZE,
    cursor: params.get("cursor") || null,
  };
}

export function writeUserView(view: UserView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.q.trim()) params.set("q", view.q.trim());
  if (view.roleId) params.set("roleId", view.roleId);
  if (view.status) params.set("status", view.status);
  if (view.sort !== DEFAULT_USER_SORT) params.set("sort", view.sort);
  if (view.limit !== DEFAULT_USER_PAGE_SIZE) params.set("limit", String(view.limit));
  if (view.cursor) params.set("cursor", view.cursor);
  return params;
}

export function toUsersQuery(view: UserView): UsersQuery {
  const query: UsersQuery = { sort: view.sort, limit: view.limit };
  if (view.q.trim()) query.q = view.q.trim();
  if (view.roleId) query.roleId = [view.roleId];
  if (view.status) query.status = view.status;
  if (view.cursor) query.cursor = view.cursor;
  return query;
}

export function hasUserFilters(view: UserView): boolean {
  return Boolean(view.q.trim() || view.roleId || view.status);
}
