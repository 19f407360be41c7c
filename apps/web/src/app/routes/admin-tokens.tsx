import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("admin.tokens")}
      empty={{
        icon: "key",
        title: "Nothing here yet",
        description:
          "Every user's API tokens will be listed here with their owner, expiry date and last use.",
      }}
    />
  );
}
