import { type LoginInput, type LoginResult, loginResultSchema } from "@keyward/contracts/auth";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { resetUserData } from "./get-me.ts";

export function login(input: LoginInput): Promise<LoginResult> {
  // A 401 here means "wrong username or password", not a lost session.
  return api.post("/auth/login", input, {
    schema: loginResultSchema,
    ignoreUnauthenticated: true,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation<LoginResult, ApiError, LoginInput>({
    mutationFn: login,
    onSuccess: (result) => {
      resetUserData(client, result.user);
    },
  });
}
