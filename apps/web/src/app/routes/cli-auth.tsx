import { CliAuthPage } from "../../features/cli-auth/components/cli-auth-page.tsx";

export function Component() {
  return <CliAuthPage />;
}
