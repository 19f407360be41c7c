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
  },
});
