import { useCurrentUser } from "../../features/auth/api/get-me.ts";
import { ChangePasswordPanel } from "../../features/profile/components/change-password-panel.tsx";
import { ProfileDetails } from "../../features/profile/components/profile-details.tsx";
import { SectionPage } from "../../features/shell/components/section-page.tsx";
import { pageHeading } from "../navigation.ts";

export function Component() {
  const me = useCurrentUser();
  return (
    <SectionPage {...pageHeading("profile")}>
      <ProfileDetails me={me} />
      <ChangePasswordPanel username={me.username} />
    </SectionPage>
  );
}
