import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import sirv from "sirv";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Scriptorium API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <style>body { margin: 0; } .swagger-ui .topbar { display: none; }</style>
</head>
<body>
  <div id="api-docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#api-docs",
      deepLinking: true,
      persistAuthorization: true,
      tryItOutEnabled: true,
    });
  </script>
</body>
</html>`;

/**
 * Interactive API documentation (Swagger UI), served from the installed
 * package so that /docs works without any network access.
 */
export function createDocsHandler() {
  const assetsDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const assets = sirv(assetsDir, { dev: false, etag: true, maxAge: 86_400 });
  return (req: IncomingMessage, res: ServerResponse, pathname: string): void => {
    if (pathname === "/docs" || pathname === "/docs/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" });
      res.end(PAGE);
      return;
    }
    req.url = pathname.slice("/docs/assets".length) || "/";
    assets(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
    });
  };
}
