import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AppRouter } from "./app/app-router.tsx";
import { Providers } from "./app/providers.tsx";
import { AppRoutes, loadingScreen, preloadRoutes } from "./app/router.tsx";
import { endSessionAfterUnauthenticated } from "./features/auth/api/end-session.ts";
import { meQueryOptions } from "./features/auth/api/get-me.ts";
import { onUnauthenticated } from "./lib/api-client.ts";
import { queryClient } from "./lib/query-client.ts";
import "./styles.css";

// Registered before anything renders, so the very first request already knows what a 401 means.
onUnauthenticated((error) => endSessionAfterUnauthenticated(queryClient, error));

const container = document.getElementById("root");
if (!container) throw new Error('index.html is missing <div id="root">');

const root = createRoot(container);
root.render(loadingScreen());

// Every page starts by asking who is signed in: ask now, while the page's modules download.
void queryClient.prefetchQuery(meQueryOptions());

// The first address's route modules arrive together before the app renders, as with a data
// router, so the page appears in one step instead of layout first and page after.
void preloadRoutes(window.location).then(() =>
  root.render(
    <StrictMode>
      <Providers queryClient={queryClient}>
        <AppRouter>
          <AppRoutes />
        </AppRouter>
      </Providers>
    </StrictMode>,
  ),
);
