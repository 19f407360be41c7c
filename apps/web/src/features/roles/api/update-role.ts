import { type RoleDto, roleSchema, type UpdateRoleInput } from "@keyward/contracts/roles";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { meQueryKey } from "../../auth/api/get-me.ts";
import { roleKeys } from "./role-keys.ts";

export function updateRole(id: string, input: UpdateRoleInput): Promise<RoleDto> {
  return api.patch(`/roles/${encodeURIComponent(id)}`, input, { schema: roleSchema });
}

export function useUpdateRole() {
  const client = useQueryClient();
  return useMutation<RoleDto, ApiError, { id: string; input: UpdateRoleInput }>({
    mutationFn: ({ id, input }) => updateRole(id, input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: roleKeys.all }),
        // The caller may hold the role they changed: their navigation follows at once.
        client.invalidateQueries({ queryKey: meQueryKey }),
        client.invalidateQueries({ queryKey: ["users"] }),
      ]),
  });
}
