import type {
  ListTokensQuery,
  TokenSort,
  TokenSortField,
  TokenStatus,
} from "@keyward/contracts/tokens";
import { useCursorView } from "../../../lib/use-cursor-view.ts";

// Everything that decides which tokens are on screen lives in the URL, so a copied link opens the
// same view and back/forward step through views. The cursors of the pages before this one are
// kept in history state ("Previous" pops one); a shared link to a later page starts a new stack.

export const sortFields = [
  "name",
  "userName",
  "expiresAt",
  "createdAt",
  "createdByName",
  "lastUsedAt",
  "status",
] as const satisfies readonly TokenSortField[];

export const pageSizes = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_SORT: TokenSort = "-createdAt";
export const withinChoices = [7, 30, 90] as const;

export type ExpiryChoice = "" | "expired" | "never" | "within" | "range";
/** Last use: never used, used within N days, or idle for N days (not used since, and older). */
export type LastUseChoice = "" | "never" | "within" | "idle";
export const lastUseDayChoices = [7, 30, 90, 180] as const;
const DEFAULT_LAST_USE_DAYS: Record<"within" | "idle", number> = { within: 30, idle: 90 };

export interface TokenView {
  name: string;
  userIds: string[];
  createdBy: string;
  status: TokenStatus | "";
  expiry: ExpiryChoice;
  withinDays: number;
  /** yyyy-mm-dd, inclusive, in the reader's time zone. */
  expiresFrom: string;
  expiresTo: string;
  lastUsed: LastUseChoice;
  lastUsedDays: number;
  sort: TokenSort;
  limit: number;
  cursor: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isSort(value: string | null): value is TokenSort {
  if (!value) return false;
  const field = value.startsWith("-") ? value.slice(1) : value;
  return (sortFields as readonly string[]).includes(field);
}

export function readView(params: URLSearchParams): TokenView {
  const expiryParam = params.get("expiry") ?? "";
  const within = /^within:(\d{1,5})$/.exec(expiryParam);
  const expiresFrom = params.get("expiresFrom") ?? "";
  const expiresTo = params.get("expiresTo") ?? "";
  const hasRange = DATE.test(expiresFrom) || DATE.test(expiresTo);
  let expiry: ExpiryChoice = "";
  if (expiryParam === "expired" || expiryParam === "never") expiry = expiryParam;
  else if (within) expiry = "within";
  else if (expiryParam === "range" || hasRange) expiry = "range";
  const lastUse = /^(never)$|^(within|idle):(\d{1,5})$/.exec(params.get("lastUsed") ?? "");
  const lastUsed: LastUseChoice = lastUse
    ? lastUse[1] === "never"
      ? "never"
      : (lastUse[2] as "within" | "idle")
    : "";
  const status = params.get("status");
  const limit = Number(params.get("limit"));
  const sort = params.get("sort");
  return {
    name: (params.get("name") ?? "").slice(0, 64),
    userIds: [...new Set(params.getAll("userId").filter(Boolean))].slice(0, 100),
    createdBy: params.get("createdBy") ?? "",
    status: status === "enabled" || status === "disabled" ? status : "",
    expiry,
    withinDays: within ? Number(within[1]) : 30,
    expiresFrom: expiry === "range" && DATE.test(expiresFrom) ? expiresFrom : "",
    expiresTo: expiry === "range" && DATE.test(expiresTo) ? expiresTo : "",
    lastUsed,
    lastUsedDays: lastUse?.[3] ? Number(lastUse[3]) : defaultLastUseDays(lastUsed),
    sort: isSort(sort) ? sort : DEFAULT_SORT,
    limit: (pageSizes as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
    cursor: params.get("cursor") || null,
  };
}

export function writeView(view: TokenView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.name.trim()) params.set("name", view.name.trim());
  for (const id of view.userIds) params.append("userId", id);
  if (view.createdBy) params.set("createdBy", view.createdBy);
  if (view.status) params.set("status", view.status);
  if (view.expiry === "expired" || view.expiry === "never") params.set("expiry", view.expiry);
  if (view.expiry === "within") params.set("expiry", `within:${view.withinDays}`);
  if (view.expiry === "range") {
    params.set("expiry", "range");
    if (view.expiresFrom) params.set("expiresFrom", view.expiresFrom);
    if (view.expiresTo) params.set("expiresTo", view.expiresTo);
  }
  const lastUsed = lastUseFilter(view);
  if (lastUsed) params.set("lastUsed", lastUsed);
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  if (view.limit !== DEFAULT_PAGE_SIZE) params.set("limit", String(view.limit));
  if (view.cursor) params.set("cursor", view.cursor);
  return params;
}

/** The API's lastUsed value for a view (never, within:N, idle:N), if it filters by last use. */
function lastUseFilter(view: TokenView): string | undefined {
  if (view.lastUsed === "never") return "never";
  if (view.lastUsed === "within" || view.lastUsed === "idle")
    return `${view.lastUsed}:${view.lastUsedDays}`;
  return undefined;
}

/** The days a last-use choice starts with when it is picked. */
export function defaultLastUseDays(choice: LastUseChoice): number {
  return DEFAULT_LAST_USE_DAYS[choice === "within" ? "within" : "idle"];
}

/** Local midnight of a yyyy-mm-dd date, `days` later, as an ISO instant. */
function localDayStart(date: string, days = 0): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString();
}

/**
 * The API query for a view. `own` pages ask for the signed-in user's tokens by id: a role that
 * may read every token would otherwise get everyone's in its profile.
 */
export function toListQuery(
  view: TokenView,
  mode: "admin" | "own",
  ownUserId?: string,
): ListTokensQuery {
  const query: ListTokensQuery = { sort: view.sort, limit: view.limit };
  if (view.name.trim()) query.name = view.name.trim();
  if (mode === "own" && ownUserId) query.userId = [ownUserId];
  if (mode === "admin" && view.userIds.length > 0) query.userId = view.userIds;
  if (mode === "admin" && view.createdBy) query.createdBy = view.createdBy;
  if (view.status) query.status = view.status;
  if (view.expiry === "expired" || view.expiry === "never") query.expiry = view.expiry;
  if (view.expiry === "within") query.expiry = `within:${view.withinDays}`;
  if (view.expiry === "range") {
    if (view.expiresFrom) query.expiresAfter = localDayStart(view.expiresFrom);
    // Inclusive: everything before the start of the following day.
    if (view.expiresTo) query.expiresBefore = localDayStart(view.expiresTo, 1);
  }
  const lastUsed = lastUseFilter(view);
  if (lastUsed) query.lastUsed = lastUsed;
  if (view.cursor) query.cursor = view.cursor;
  return query;
}

export function hasFilters(view: TokenView): boolean {
  return Boolean(
    view.name.trim() ||
      view.userIds.length > 0 ||
      view.createdBy ||
      view.status ||
      view.expiry !== "" ||
      view.lastUsed !== "",
  );
}

/** Every filter cleared (sort and page size stay). */
export const noTokenFilters = {
  name: "",
  userIds: [],
  createdBy: "",
  status: "",
  expiry: "",
  expiresFrom: "",
  expiresTo: "",
  lastUsed: "",
} as const satisfies Partial<TokenView>;

export interface TokenViewApi {
  view: TokenView;
  /** 1-based page number, known when the user paged here in this tab. */
  pageNumber: number | null;
  hasPrevious: boolean;
  /** Change filters or sort: starts again from the first page. */
  update: (patch: Partial<Omit<TokenView, "cursor">>, options?: { replace?: boolean }) => void;
  resetFilters: () => void;
  nextPage: (cursor: string) => void;
  previousPage: () => void;
  firstPage: () => void;
}

/** `prefetch`: see useCursorView; must be stable. */
export function useTokenView(prefetch?: (view: TokenView) => void): TokenViewApi {
  const list = useCursorView(readView, writeView, prefetch);
  const { view, update } = list;
  return {
    ...list,
    hasPrevious: view.cursor !== null,
    resetFilters: () => update(noTokenFilters),
  };
}
