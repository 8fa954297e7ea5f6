import { defineConfig } from "tsup";
import pkg from "./package.json" with { type: "json" };

/**
 * One self-contained ES module: the workspace packages (which ship
 * TypeScript sources and are not published), tRPC's client and the
 * EventSource polyfill are bundled in, so that the packed tarball installs
 * alone. The runtime libraries listed in `dependencies` stay external and
 * come from the registry on install.
 */
const external = Object.keys(pkg.dependencies);

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  sourcemap: false,
  splitting: false,
  external,
  banner: { js: "#!/usr/bin/env node" },
  define: { __CLI_VERSION__: JSON.stringify(pkg.version) },
});
