import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The token pages (Administration → API tokens, where "/" leads an administrator, and Profile →
// API tokens, where it leads a member) are where most visits land or go next. Their chunks are
// announced in index.html as module preloads, so the browser fetches and compiles them alongside
// the entry instead of only once the entry has run and asked for them. Nothing more runs early:
// a preloaded module is evaluated only when imported.
const PRELOADED_ROUTES = ["/src/app/routes/admin-tokens.tsx", "/src/app/routes/profile-tokens.tsx"];

function preloadTokenPages(): Plugin {
  return {
    name: "keyward:preload-token-pages",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, { bundle, chunk: entry }) {
        if (!bundle) return html;
        const chunks = Object.values(bundle).flatMap((output) =>
          output.type === "chunk" ? [output] : [],
        );
        const files = new Set<string>();
        const skip = new Set([entry?.fileName, ...(entry?.imports ?? [])]);
        const collect = (fileName: string) => {
          if (files.has(fileName) || skip.has(fileName)) return;
          files.add(fileName);
          for (const imported of chunks.find((c) => c.fileName === fileName)?.imports ?? []) {
            collect(imported);
          }
        };
        for (const route of PRELOADED_ROUTES) {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(route));
          if (!chunk) throw new Error(`No chunk for ${route}: renamed? (vite.config.ts)`);
          collect(chunk.fileName);
        }
        return [...files].map((file) => ({
          tag: "link",
          attrs: { rel: "modulepreload", crossorigin: true, href: `/${file}` },
          injectTo: "head" as const,
        }));
      },
    },
  };
}

// The API server listens on 8080; in development Vite serves the app and forwards /api to it,
// so the browser sees one origin and the session and CSRF cookies work as in production.
export default defineConfig({
  plugins: [react(), preloadTokenPages()],
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
