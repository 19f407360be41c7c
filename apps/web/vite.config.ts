import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API server listens on 8080; in development Vite serves the app and forwards /api to it,
// so the browser sees one origin and the session and CSRF cookies work as in production.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // dist/.vite/manifest.json maps source modules to chunks; scripts/check-bundle-size.mjs reads
    // it to add up the JavaScript the token page needs before it renders.
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // The signed-in frame and the UI kit every page uses, in one chunk rather than a
              // handful of tiny ones: fewer requests, and gzip does better on one larger file.
              name: "shell",
              test: /\/src\/(components\/ui\/(alert|button|empty-state|icons|logo|page-header|spinner|toast)|lib\/(api-client|api-error|cookies|format|permissions|query-client|redirect|use-document-title)\.ts|features\/shell\/|features\/auth\/api\/(get-me|logout|end-session|session-notice)|app\/routes\/app-layout)|\/node_modules\/(react|@tanstack\/react-query)\//,
            },
          ],
        },
      },
    },
  },
});
