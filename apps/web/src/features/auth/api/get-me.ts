import type { Me } from "@keyward/contracts/auth";
import { type QueryClient, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { isApiError } from "../../../lib/api-error.ts";

export const meQueryKey = ["me"] as const;

/**
 * Who is signed in: a `Me`, or `null` when nobody is. A 401 is an answer here, not an error, so
 * the query only fails when the server cannot be asked at all.
 */
export function meQueryOptions() {
  return queryOptions({
    queryKey: meQueryKey,
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        // Not checked with meSchema: that would put zod in the first download, and every page
        // waits for this answer. The server builds it from the same contract.
        return await api.get<Me>("/me", { signal });
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useMe() {
  return useQuery(meQueryOptions());
}

/** Forget everything the previous user could see, keeping (or setting) the `me` entry. */
export function resetUserData(client: QueryClient, me: Me | null): void {
  void client.cancelQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  client.setQueryData(meQueryKey, me);
}

/**
 * The signed-in user, for components under the app layout (which renders nothing until `me` is
 * known), so pages never handle the signed-out case themselves.
 */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error("useCurrentUser() is only for pages inside the signed-in layout");
  return data;
}
