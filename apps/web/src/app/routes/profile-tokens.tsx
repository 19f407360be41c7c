import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("profile.tokens")}
      empty={{
        icon: "key",
        title: "Nothing here yet",
        description:
          "Tokens you create will be listed here. Each one lets a script or service act on your behalf, within the scopes you choose.",
      }}
    />
  );
}
