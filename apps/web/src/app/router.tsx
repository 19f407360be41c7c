import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { LoadingState } from "../components/ui/spinner.tsx";
import type { RouteHandle } from "./navigation.ts";
import { RouteError } from "./route-error.tsx";
import { HomeRedirect } from "./routes/home.tsx";

function page(path: string, pageId: NonNullable<RouteHandle["page"]>, load: RouteObject["lazy"]) {
  const handle: RouteHandle = { page: pageId };
  return { path, handle, lazy: load } satisfies RouteObject;
}

/**
 * Every route module is loaded on demand (`lazy`), so the sign-in page does not download the
 * signed-in app and each section arrives when first visited.
 */
export const routes: RouteObject[] = [
  {
    id: "root",
    hydrateFallbackElement: (
      <div className="standalone standalone-center">
        <LoadingState label="Loading Keyward…" />
      </div>
    ),
    errorElement: <RouteError fullPage />,
    children: [
      { path: "/sign-in", lazy: () => import("./routes/sign-in.tsx") },
      {
        id: "app",
        lazy: () => import("./routes/app-layout.tsx"),
        children: [
          {
            // Errors inside a page keep the sidebar, so the user can go elsewhere.
            errorElement: <RouteError />,
            children: [
              { index: true, element: <HomeRedirect /> },
              page("/admin/tokens", "admin.tokens", () => import("./routes/admin-tokens.tsx")),
              page("/admin/tokens/:tokenId", "admin.tokens", () =>
                import("./routes/token-edit.tsx").then((m) => ({ Component: m.AdminTokenEdit })),
              ),
              page("/admin/users", "admin.users", () => import("./routes/admin-users.tsx")),
              page("/admin/users/:userId", "admin.users", () => import("./routes/admin-user.tsx")),
              page("/admin/roles", "admin.roles", () => import("./routes/admin-roles.tsx")),
              page("/admin/audit", "admin.audit", () => import("./routes/admin-audit.tsx")),
              page(
                "/admin/settings",
                "admin.settings",
                () => import("./routes/admin-settings.tsx"),
              ),
              page("/profile", "profile", () => import("./routes/profile.tsx")),
              page(
                "/profile/tokens",
                "profile.tokens",
                () => import("./routes/profile-tokens.tsx"),
              ),
              page("/profile/tokens/:tokenId", "profile.tokens", () =>
                import("./routes/token-edit.tsx").then((m) => ({ Component: m.ProfileTokenEdit })),
              ),
              page(
                "/profile/sessions",
                "profile.sessions",
                () => import("./routes/profile-sessions.tsx"),
              ),
              // Every signed-in user may create a command-line session token for themselves.
              page("/cli-auth", "profile.sessions", () => import("./routes/cli-auth.tsx")),
              { path: "/admin", element: <Navigate to="/" replace /> },
              {
                path: "*",
                handle: { notFound: true } satisfies RouteHandle,
                lazy: () => import("./routes/not-found.tsx"),
              },
            ],
          },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
