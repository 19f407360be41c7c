import { RolesPage } from "../../features/roles/components/roles-page.tsx";

export function Component() {
  return <RolesPage />;
}
