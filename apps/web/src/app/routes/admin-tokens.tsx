import { TokensPage } from "../../features/tokens/components/tokens-page.tsx";

export function Component() {
  return <TokensPage mode="admin" />;
}
