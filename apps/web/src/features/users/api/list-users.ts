import { type ListUsersQuery, type UserList, userListSchema } from "@keyward/contracts/users";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { userKeys } from "./user-keys.ts";

export type UsersQuery = Partial<ListUsersQuery>;

export function listUsers(query: UsersQuery, signal?: AbortSignal): Promise<UserList> {
  return api.get("/users", {
    query: { ...query, roleId: query.roleId ?? [] },
    schema: userListSchema,
    ...(signal ? { signal } : {}),
  });
}

/** One page of users; the previous page stays on screen while the next one loads. */
export function listUsersQueryOptions(query: UsersQuery) {
  return queryOptions({
    queryKey: userKeys.list(query),
    queryFn: ({ signal }) => listUsers(query, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
