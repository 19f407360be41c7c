import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";

// The reference page is Swagger UI served from the installed package, so it works offline and
// under a strict Content-Security-Policy (no CDN, no inline script).
const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Keyward API reference</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true, withCredentials: true });`;

const assets: Record<string, { file: string; type: string }> = {
  "swagger-ui.css": { file: "swagger-ui.css", type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { file: "swagger-ui-bundle.js", type: "text/javascript; charset=utf-8" },
};
const cache = new Map<string, Buffer>();

export const docsRoutes = new Hono<AppEnv>()
  .get("/", (c) => c.html(page))
  .get("/init.js", (c) => c.body(init, 200, { "Content-Type": "text/javascript; charset=utf-8" }))
  .get("/:asset", (c) => {
    const asset = assets[c.req.param("asset")];
    if (!asset) return c.notFound();
    let body = cache.get(asset.file);
    if (!body) {
      body = readFileSync(join(swaggerDir, asset.file));
      cache.set(asset.file, body);
    }
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=86400",
    });
  });
