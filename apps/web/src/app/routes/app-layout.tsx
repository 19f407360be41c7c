import { Navigate, Outlet, useLocation } from "react-router";
import { Logo } from "../../components/ui/logo.tsx";
import { useToast } from "../../components/ui/toast.tsx";
import { useMe } from "../../features/auth/api/get-me.ts";
import { useLogout } from "../../features/auth/api/logout.ts";
import { peekSessionNotice } from "../../features/auth/api/session-notice.ts";
import { AppSidebar } from "../../features/shell/components/app-sidebar.tsx";
import { NotPermitted } from "../../features/shell/components/not-permitted.tsx";
import { ServerUnavailable } from "../../features/shell/components/server-unavailable.tsx";
import { ShellSkeleton } from "../../features/shell/components/shell-skeleton.tsx";
import { SIGN_IN_PATH, signInPathFor } from "../../lib/redirect.ts";
import { useRouteHandle } from "../app-router.tsx";
import { canUsePage, navigationFor, pages } from "../navigation.ts";

function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to main content
    </a>
  );
}

/**
 * The signed-in frame and the route guard: it waits for `me`, sends signed-out visitors to
 * sign-in (remembering where they were going), and shows "Not permitted" for pages the role may
 * not use, by the same rule the navigation is built from.
 */
export function Component() {
  const me = useMe();
  const location = useLocation();
  const handle = useRouteHandle();
  const logout = useLogout();
  const { toast } = useToast();

  if (me.isPending) return <ShellSkeleton />;

  if (me.data === undefined) {
    return (
      <ServerUnavailable
        error={me.error}
        onRetry={() => void me.refetch()}
        retrying={me.isFetching}
      />
    );
  }

  if (me.data === null) {
    // Unknown addresses get their 404 even when signed out, rather than a detour via sign-in.
    if (handle.notFound) {
      return (
        <div className="standalone">
          <SkipLink />
          <header className="standalone-header">
            <Logo size={28} />
          </header>
          <main id="main" className="standalone-main" tabIndex={-1}>
            <Outlet />
          </main>
        </div>
      );
    }
    const to = peekSessionNotice() === "signed_out" ? SIGN_IN_PATH : signInPathFor(location);
    return <Navigate to={to} replace />;
  }

  const user = me.data;
  const deniedPage =
    handle.page !== undefined && !canUsePage(user, handle.page) ? pages[handle.page] : null;

  return (
    <div className="shell">
      <SkipLink />
      <AppSidebar
        sections={navigationFor(user)}
        user={{ displayName: user.displayName, username: user.username, roleName: user.role.name }}
        signingOut={logout.isPending}
        onSignOut={() =>
          logout.mutate(undefined, {
            onError: (error) => {
              if (error.status === 401) return;
              toast({ tone: "error", title: "Could not sign out", description: error.message });
            },
          })
        }
      />
      <main id="main" className="main" tabIndex={-1}>
        {deniedPage ? (
          <NotPermitted pageLabel={deniedPage.label} roleName={user.role.name} />
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}
