import { type UserDetail, userDetailSchema } from "@keyward/contracts/users";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { userKeys } from "./user-keys.ts";

export function getUser(id: string, signal?: AbortSignal): Promise<UserDetail> {
  return api.get(`/users/${encodeURIComponent(id)}`, {
    schema: userDetailSchema,
    ...(signal ? { signal } : {}),
  });
}

/** One user with their active sessions. */
export function userQueryOptions(id: string) {
  return queryOptions({
    queryKey: userKeys.detail(id),
    queryFn: ({ signal }) => getUser(id, signal),
  });
}
