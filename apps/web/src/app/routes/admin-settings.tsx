import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("admin.settings")}
      empty={{
        icon: "sliders",
        title: "Nothing here yet",
        description:
          "The maximum and default token lifetime and the browser session duration will be shown here.",
      }}
    />
  );
}
