import { useParams } from "react-router";
import { UserPage } from "../../features/users/components/user-page.tsx";

/** /admin/users/:userId */
export function Component() {
  const { userId = "" } = useParams();
  return <UserPage key={userId} userId={userId} />;
}
