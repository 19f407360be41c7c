import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import type { ApiError } from "../../../lib/api-error.ts";
import { roleKeys } from "./role-keys.ts";

export function deleteRole(id: string): Promise<void> {
  return api.delete<void>(`/roles/${encodeURIComponent(id)}`);
}

export function useDeleteRole() {
  const client = useQueryClient();
  return useMutation<void, ApiError, { id: string }>({
    mutationFn: ({ id }) => deleteRole(id),
    onSuccess: () => client.invalidateQueries({ queryKey: roleKeys.all }),
  });
}
