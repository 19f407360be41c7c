import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  return (
    <SectionPage
      {...pageHeading("admin.roles")}
      empty={{
        icon: "shield",
        title: "Nothing here yet",
        description:
          "The built-in roles and any custom roles will be listed here with the permissions each one grants.",
      }}
    />
  );
}
