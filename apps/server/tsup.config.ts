import { defineConfig } from "tsup";
import { trpcBundle } from "./src/http/fast/trpc-bundle";

export default defineConfig({
  entry: { main: "src/main.ts", worker: "src/worker.ts", "copy-to-postgres": "src/copy-to-postgres.ts", "openapi-cli": "src/openapi-cli.ts", "offload-thread": "src/offload/thread.ts", "refresh-thread": "src/offload/refresh-thread.ts", "backup-cli": "src/backup-cli.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  // Workspace packages ship TypeScript sources: bundle them. tRPC is bundled
  // too (with trpc-to-openapi, so that both share one copy of it) for its
  // faster object-spread helper and synchronous validation, see src/http/fast/trpc-bundle.ts.
  // Other npm packages stay external.
  noExternal: [/^@scriptorium\//, /^@trpc\/server(\/|$)/, /^trpc-to-openapi$/],
  external: [/^(?!@scriptorium\/|@trpc\/server(\/|$)|trpc-to-openapi$)[^./]/],
  esbuildPlugins: [trpcBundle()],
});
