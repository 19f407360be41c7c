import type * as AuthContracts from "@keyward/contracts/auth";
import type { QueryClient } from "@tanstack/react-query";
import { readCookie } from "../../../lib/cookies.ts";
import { readView, toListQuery } from "../components/token-view.ts";
import { listTokensQueryOptions } from "./list-tokens.ts";

// A type-checked copy rather than an import: the contracts' auth module would bring zod along.
const CSRF_COOKIE: typeof AuthContracts.CSRF_COOKIE = "kw_csrf";

/**
 * Asks for the first page of Administration → API tokens while the app is still starting, in
 * parallel with "who is signed in", instead of after the page's first render. Only when a session
 * probably exists (its readable CSRF cookie is there), so a signed-out visitor asks nothing more;
 * what the caller may see is the server's decision as always (the layout shows "Not permitted"
 * to a role without the page, whatever this answer was).
 */
export function prefetchAdminTokenList(client: QueryClient, search: string): void {
  if (!readCookie(CSRF_COOKIE)) return;
  const view = readView(new URLSearchParams(search));
  void client.prefetchQuery(listTokensQueryOptions(toListQuery(view, "admin")));
}
