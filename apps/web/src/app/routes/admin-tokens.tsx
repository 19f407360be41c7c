import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("admin.tokens")}
      empty={{
        icon: "key",
        title: "No API tokens yet",
        description:
          "When people create API tokens, they will be listed here with their owner, expiry date and last use.",
      }}
    />
  );
}
