import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Builds and packs the command once for every test file (src/testing/global-setup.ts).
      globalSetup: ["src/testing/global-setup.ts"],
    },
  }),
);
