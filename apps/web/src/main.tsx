import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { Providers } from "./app/providers.tsx";
import { createRouter } from "./app/router.tsx";
import { endSessionAfterUnauthenticated } from "./features/auth/api/end-session.ts";
import { onUnauthenticated } from "./lib/api-client.ts";
import { queryClient } from "./lib/query-client.ts";
import "./styles.css";

// Registered before anything renders, so the very first request already knows what a 401 means.
onUnauthenticated((error) => endSessionAfterUnauthenticated(queryClient, error));

const container = document.getElementById("root");
if (!container) throw new Error('index.html is missing <div id="root">');

const router = createRouter();

createRoot(container).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
