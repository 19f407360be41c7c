import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("admin.audit")}
      empty={{
        icon: "scroll",
        title: "Nothing here yet",
        description:
          "Sign-ins and every change to tokens, users, roles and settings will appear here as they happen.",
      }}
    />
  );
}
