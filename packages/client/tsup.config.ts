import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm"],
  // Node 20 and current browsers: nothing to lower past ES2022.
  target: "es2022",
  // Browsers as well as Node: no Node built-ins are assumed.
  platform: "neutral",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  // The runtime imports only the published dependencies (tRPC, eventsource);
  // the workspace packages are reached for types alone, see src/router.ts.
  external: ["@trpc/client", "@trpc/server", "eventsource"],
  // One dist/index.d.ts (rollup-plugin-dts through tsup). It stands alone
  // because src/router.ts spells the router out; the client-package test
  // fails if it ever imports @scriptorium/* again.
  dts: true,
});
