import { type CliToken, cliTokenSchema } from "@keyward/contracts/sessions";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { sessionKeys } from "../../sessions/api/session-keys.ts";

export function createCliToken(): Promise<CliToken> {
  return api.post("/auth/cli-token", undefined, { schema: cliTokenSchema });
}

export type IssuedCliSession = Omit<CliToken, "token">;

/**
 * Issues a command-line session token. The mutation resolves to the session's id and expiry only;
 * the token itself goes to `reveal` and lives in the caller's component state, never in
 * react-query's cache, the URL or storage.
 */
export function useCreateCliToken() {
  const client = useQueryClient();
  return useMutation<IssuedCliSession, ApiError, { reveal: (issued: CliToken) => void }>({
    mutationFn: async ({ reveal }) => {
      const issued = await createCliToken();
      reveal(issued);
      return { sessionId: issued.sessionId, expiresAt: issued.expiresAt };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: sessionKeys.own() }),
  });
}
