import { SessionsPage } from "../../features/sessions/components/sessions-page.tsx";

export function Component() {
  return <SessionsPage />;
}
