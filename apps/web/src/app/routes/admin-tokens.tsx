import { prefetchAdminTokenList } from "../../features/tokens/api/prefetch-token-list.ts";
import { TokensPage } from "../../features/tokens/components/tokens-page.tsx";
import { queryClient } from "../../lib/query-client.ts";

export function Component() {
  return <TokensPage mode="admin" />;
}

/** Called when this page is the first one the app opens (see preloadRoutes). */
export function prefetch(search: string): void {
  prefetchAdminTokenList(queryClient, search);
}
