import { useCallback, useMemo } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";

/** A list view that lives in the URL: its filters plus the cursor of the page on screen. */
export interface CursorView {
  cursor: string | null;
}

export interface CursorViewApi<V extends CursorView> {
  view: V;
  /** 1-based page number, known when the user paged here in this tab; null after a shared link. */
  pageNumber: number | null;
  /** Change filters: starts again from the first page. */
  update: (patch: Partial<Omit<V, "cursor">>, options?: { replace?: boolean }) => void;
  nextPage: (cursor: string) => void;
  previousPage: () => void;
  firstPage: () => void;
}

interface HistoryState {
  cursors?: string[];
}

/**
 * Filters in the query string (so a link opens the same view) and the cursors of the pages
 * before this one in history state, so "Previous" steps back without the server counting
 * offsets. `read` and `write` must be stable (module-level) functions. `prefetch`, when given,
 * hears of each new view as the user asks for it, so its data can be requested at once rather
 * than after the page has rendered the new URL.
 */
export function useCursorView<V extends CursorView>(
  read: (params: URLSearchParams) => V,
  write: (view: V) => URLSearchParams,
  prefetch?: (view: V) => void,
): CursorViewApi<V> {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const view = useMemo(() => read(params), [params, read]);
  const cursors = useMemo(() => {
    const state = location.state as HistoryState | null;
    return Array.isArray(state?.cursors) ? state.cursors : null;
  }, [location.state]);

  const go = useCallback(
    (next: V, stack: string[], replace = false) => {
      prefetch?.(next);
      const search = write(next).toString();
      void navigate(
        { pathname: location.pathname, search: search ? `?${search}` : "" },
        { replace, state: { cursors: stack } satisfies HistoryState, preventScrollReset: true },
      );
    },
    [navigate, location.pathname, write, prefetch],
  );

  // Merge into the URL as it is when the change is made, not as it was when this render ran: a
  // debounced search that fires just after another filter changed must not undo that change.
  const update = useCallback<CursorViewApi<V>["update"]>(
    (patch, options) => {
      const current = read(new URLSearchParams(window.location.search));
      go({ ...current, ...patch, cursor: null }, [], options?.replace);
    },
    [go, read],
  );

  return {
    view,
    pageNumber: view.cursor === null ? 1 : cursors ? cursors.length + 1 : null,
    update,
    nextPage: (cursor) => go({ ...view, cursor }, [...(cursors ?? []), view.cursor ?? ""]),
    previousPage: () => {
      const stack = [...(cursors ?? [])];
      const previous = stack.pop();
      go({ ...view, cursor: previous || null }, stack);
    },
    firstPage: () => go({ ...view, cursor: null }, []),
  };
}

/**
 * Waits for a pause in typing before handing the text on (search boxes that drive the URL). Short
 * enough that results follow the last keystroke within 200 ms; a list query costs the server a few
 * milliseconds, so the extra requests of a slow typist are cheap.
 */
export const SEARCH_DEBOUNCE_MS = 120;
