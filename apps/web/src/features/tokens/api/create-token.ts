import {
  type CreateTokenInput,
  type Token,
  type TokenWithSecret,
  tokenWithSecretSchema,
} from "@keyward/contracts/tokens";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { tokenKeys } from "./token-keys.ts";

export function createToken(input: CreateTokenInput): Promise<TokenWithSecret> {
  return api.post("/tokens", input, { schema: tokenWithSecretSchema });
}

export interface CreateTokenVariables {
  input: CreateTokenInput;
  /**
   * Receives the secret. The mutation itself resolves to the token only, so the secret never
   * sits in react-query's mutation cache; the caller keeps it in component state and drops it.
   */
  reveal: (secret: string, token: Token) => void;
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation<Token, ApiError, CreateTokenVariables>({
    mutationFn: async ({ input, reveal }) => {
      const { token, secret } = await createToken(input);
      reveal(secret, token);
      return token;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.lists() }),
  });
}
