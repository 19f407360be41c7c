import { Navigate } from "react-router";
import { useCurrentUser } from "../../features/auth/api/get-me.ts";
import { homePathFor } from "../navigation.ts";

/**
 * "/" has no page of its own: it leads to the first page this user's role can use. Not lazy, so
 * the redirect happens in the same render as the layout instead of after another download.
 */
export function HomeRedirect() {
  const me = useCurrentUser();
  return <Navigate to={homePathFor(me)} replace />;
}
