import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("admin.users")}
      empty={{
        icon: "users",
        title: "Nothing here yet",
        description:
          "People who can sign in will be listed here with their role and whether their account is active.",
      }}
    />
  );
}
