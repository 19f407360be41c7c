import { type Token, type TokenWithSecret, tokenWithSecretSchema } from "@keyward/contracts/tokens";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { tokenKeys } from "./token-keys.ts";

export function regenerateToken(id: string): Promise<TokenWithSecret> {
  return api.post(`/tokens/${encodeURIComponent(id)}/regenerate`, undefined, {
    schema: tokenWithSecretSchema,
  });
}

export interface RegenerateTokenVariables {
  id: string;
  /** Receives the new secret; the mutation resolves to the token only (see create-token.ts). */
  reveal: (secret: string, token: Token) => void;
}

export function useRegenerateToken() {
  const client = useQueryClient();
  return useMutation<Token, ApiError, RegenerateTokenVariables>({
    mutationFn: async ({ id, reveal }) => {
      const { token, secret } = await regenerateToken(id);
      reveal(secret, token);
      return token;
    },
    onSuccess: (token) => {
      client.setQueryData(tokenKeys.detail(token.id), token);
      return client.invalidateQueries({ queryKey: tokenKeys.lists() });
    },
  });
}
