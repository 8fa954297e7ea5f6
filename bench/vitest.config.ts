import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../vitest.shared.ts";

// No coverage here: V8's block counting slows every script in the test
// process, the load generator included, and the mixed-load test asserts how
// many requests get through. The server it loads runs as a child process,
// unmeasured anyway; the other packages' suites measure the API and domain.
export default mergeConfig(shared, defineConfig({ test: { coverage: { enabled: false } } }));
