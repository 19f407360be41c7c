import { type CreateRoleInput, type RoleDto, roleSchema } from "@keyward/contracts/roles";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { roleKeys } from "./role-keys.ts";

export function createRole(input: CreateRoleInput): Promise<RoleDto> {
  return api.post("/roles", input, { schema: roleSchema });
}

export function useCreateRole() {
  const client = useQueryClient();
  return useMutation<RoleDto, ApiError, CreateRoleInput>({
    mutationFn: createRole,
    onSuccess: () => client.invalidateQueries({ queryKey: roleKeys.all }),
  });
}
