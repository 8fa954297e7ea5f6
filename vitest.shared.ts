import { defineConfig } from "vitest/config";

/** Defaults every package's tests share. */
export default defineConfig({
  test: {
    // Real databases, servers and child processes: allow them time to start.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ["src/**/*.test.ts"],
  },
});
