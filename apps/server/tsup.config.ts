import { defineConfig } from "tsup";

export default defineConfig({
  entry: { main: "src/main.ts", "openapi-cli": "src/openapi-cli.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  // Workspace packages ship TypeScript sources: bundle them; keep npm packages external.
  noExternal: [/^@scriptorium\//],
  external: [/^(?!@scriptorium\/)[^./]/],
});
