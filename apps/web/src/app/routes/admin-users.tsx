import { UsersPage } from "../../features/users/components/users-page.tsx";

export function Component() {
  return <UsersPage />;
}
