import type { QueryClient } from "@tanstack/react-query";
import { canUsePage } from "../../../app/navigation.ts";
import { meQueryOptions } from "../../auth/api/get-me.ts";
import { readView, toListQuery } from "../components/token-view.ts";
import { listTokensQueryOptions } from "./list-tokens.ts";

/**
 * Asks for the first page of Administration → API tokens as soon as we know who is signed in,
 * while the page itself is still being put on screen: the table then finds its rows (or the
 * request under way) instead of starting it after its first render. Only for someone who may see
 * the page; anyone else gets nothing asked on their behalf.
 */
export async function prefetchAdminTokenList(client: QueryClient, search: string): Promise<void> {
  const me = await client.fetchQuery(meQueryOptions()).catch(() => null);
  if (!me || !canUsePage(me, "admin.tokens")) return;
  const view = readView(new URLSearchParams(search));
  await client.prefetchQuery(listTokensQueryOptions(toListQuery(view, "admin")));
}
