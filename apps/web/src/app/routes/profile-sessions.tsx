import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("profile.sessions")}
      empty={{
        icon: "monitor",
        title: "Nothing here yet",
        description:
          "The browsers where you are signed in will be listed here, so you can end any session you do not recognise.",
      }}
    />
  );
}
