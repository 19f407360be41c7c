import { type ReactNode, Suspense, useMemo } from "react";
import {
  type Location,
  matchRoutes,
  Navigate,
  Outlet,
  type RouteObject,
  useLocation,
  useRoutes,
} from "react-router";
import { LoadingState } from "../components/ui/spinner.tsx";
import { type LazyRoute, LazyRouteElement, lazyRoute, RouteHandleContext } from "./app-router.tsx";
import type { RouteHandle } from "./navigation.ts";
import { RouteErrorBoundary } from "./route-error.tsx";
import { HomeRedirect } from "./routes/home.tsx";

/** What a route carries in its `handle`: its page (for the guard) and how to load its module. */
interface AppRouteHandle extends RouteHandle {
  preload?: LazyRoute["preload"];
}

function lazyElement(route: LazyRoute, handle: RouteHandle = {}) {
  return {
    element: <LazyRouteElement route={route} />,
    handle: { ...handle, preload: route.preload } satisfies AppRouteHandle,
  };
}

function page(path: string, pageId: NonNullable<RouteHandle["page"]>, route: LazyRoute) {
  return { path, ...lazyElement(route, { page: pageId }) } satisfies RouteObject;
}

const tokenEdit = () => import("./routes/token-edit.tsx");

/** Errors inside a page keep the sidebar, so the user can go elsewhere. */
function PageErrorBoundary() {
  return (
    <RouteErrorBoundary>
      <Outlet />
    </RouteErrorBoundary>
  );
}

/**
 * Every route module is loaded on demand, so the sign-in page does not download the signed-in
 * app and each section arrives when first visited.
 */
export const routes: RouteObject[] = [
  { path: "/sign-in", ...lazyElement(lazyRoute(() => import("./routes/sign-in.tsx"))) },
  {
    ...lazyElement(lazyRoute(() => import("./routes/app-layout.tsx"))),
    children: [
      {
        element: <PageErrorBoundary />,
        children: [
          { index: true, element: <HomeRedirect /> },
          page(
            "/admin/tokens",
            "admin.tokens",
            lazyRoute(() => import("./routes/admin-tokens.tsx")),
          ),
          page(
            "/admin/tokens/:tokenId",
            "admin.tokens",
            lazyRoute(() => tokenEdit().then((m) => ({ Component: m.AdminTokenEdit }))),
          ),
          page(
            "/admin/users",
            "admin.users",
            lazyRoute(() => import("./routes/admin-users.tsx")),
          ),
          page(
            "/admin/users/:userId",
            "admin.users",
            lazyRoute(() => import("./routes/admin-user.tsx")),
          ),
          page(
            "/admin/roles",
            "admin.roles",
            lazyRoute(() => import("./routes/admin-roles.tsx")),
          ),
          page(
            "/admin/audit",
            "admin.audit",
            lazyRoute(() => import("./routes/admin-audit.tsx")),
          ),
          page(
            "/admin/settings",
            "admin.settings",
            lazyRoute(() => import("./routes/admin-settings.tsx")),
          ),
          page(
            "/profile",
            "profile",
            lazyRoute(() => import("./routes/profile.tsx")),
          ),
          page(
            "/profile/tokens",
            "profile.tokens",
            lazyRoute(() => import("./routes/profile-tokens.tsx")),
          ),
          page(
            "/profile/tokens/:tokenId",
            "profile.tokens",
            lazyRoute(() => tokenEdit().then((m) => ({ Component: m.ProfileTokenEdit }))),
          ),
          page(
            "/profile/sessions",
            "profile.sessions",
            lazyRoute(() => import("./routes/profile-sessions.tsx")),
          ),
          // Every signed-in user may create a command-line session token for themselves.
          page(
            "/cli-auth",
            "profile.sessions",
            lazyRoute(() => import("./routes/cli-auth.tsx")),
          ),
          { path: "/admin", element: <Navigate to="/" replace /> },
          {
            path: "*",
            ...lazyElement(
              lazyRoute(() => import("./routes/not-found.tsx")),
              { notFound: true },
            ),
          },
        ],
      },
    ],
  },
];

function handleFor(location: Partial<Location>): RouteHandle {
  const handle: RouteHandle = {};
  for (const match of matchRoutes(routes, location) ?? []) {
    const routeHandle = match.route.handle as AppRouteHandle | undefined;
    if (routeHandle?.page) handle.page = routeHandle.page;
    if (routeHandle?.notFound) handle.notFound = true;
  }
  return handle;
}

/**
 * Loads the modules of every route the address matches, in parallel, so the first render has
 * them all (no loading state per level), and lets each start its data requests at once, as a
 * data router's loaders would. Failures are left for the route's error boundary.
 */
export async function preloadRoutes(
  location: Pick<Location, "pathname" | "search">,
): Promise<void> {
  const matches = matchRoutes(routes, location) ?? [];
  await Promise.allSettled(
    matches.map((match) =>
      (match.route.handle as AppRouteHandle | undefined)
        ?.preload?.()
        .then((module) => module.prefetch?.(location.search)),
    ),
  );
}

function Routes() {
  const location = useLocation();
  const handle = useMemo(() => handleFor(location), [location]);
  const element = useRoutes(routes, location);
  return <RouteHandleContext value={handle}>{element}</RouteHandleContext>;
}

export function loadingScreen(): ReactNode {
  return (
    <div className="standalone standalone-center">
      <LoadingState label="Loading Keyward…" />
    </div>
  );
}

/** The routes with the app-wide error boundary (no sidebar: the layout itself may have failed). */
export function AppRoutes() {
  return (
    <RouteErrorBoundary fullPage>
      <Suspense fallback={loadingScreen()}>
        <Routes />
      </Suspense>
    </RouteErrorBoundary>
  );
}
