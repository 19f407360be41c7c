import { type UpdateUserInput, type UserDto, userSchema } from "@keyward/contracts/users";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { meQueryKey } from "../../auth/api/get-me.ts";
import { roleKeys } from "../../roles/api/role-keys.ts";
import { userKeys } from "./user-keys.ts";

export function updateUser(id: string, input: UpdateUserInput): Promise<UserDto> {
  return api.patch(`/users/${encodeURIComponent(id)}`, input, { schema: userSchema });
}

/**
 * Edit, change role, disable, enable or set a new password. Disabling ends the user's sessions
 * and a new role changes their token rights, so the user page, the lists, role counts and token
 * lists (which show owners) are all refreshed.
 */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation<UserDto, ApiError, { id: string; input: UpdateUserInput }>({
    mutationFn: ({ id, input }) => updateUser(id, input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: userKeys.all }),
        client.invalidateQueries({ queryKey: roleKeys.all }),
        client.invalidateQueries({ queryKey: ["tokens"] }),
        client.invalidateQueries({ queryKey: meQueryKey }),
      ]),
  });
}
