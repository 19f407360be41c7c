import { MutationCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api-error.ts";

/** Retry only what may succeed on a second try: lost connections and overloaded servers. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return false;
  return error.isUnavailable;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // Every change the app makes is recorded in the audit log, so any audit list on screen (the
    // log itself, a token's or user's history) is out of date once a change succeeds.
    mutationCache: new MutationCache({
      onSuccess: () => void client.invalidateQueries({ queryKey: ["audit"] }),
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: shouldRetry,
        refetchOnWindowFocus: true,
      },
      mutations: {
        retry: false,
      },
    },
  });
  return client;
}

export const queryClient = createQueryClient();
