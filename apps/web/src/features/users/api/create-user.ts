import { type CreateUserInput, type UserDto, userSchema } from "@keyward/contracts/users";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { roleKeys } from "../../roles/api/role-keys.ts";
import { userKeys } from "./user-keys.ts";

export function createUser(input: CreateUserInput): Promise<UserDto> {
  return api.post("/users", input, { schema: userSchema });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation<UserDto, ApiError, CreateUserInput>({
    mutationFn: createUser,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: userKeys.all }),
        // Roles show how many users hold them.
        client.invalidateQueries({ queryKey: roleKeys.all }),
      ]),
  });
}
