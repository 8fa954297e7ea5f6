import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { CLI_DIR, sh } from "./harness";

declare module "vitest" {
  export interface ProvidedContext {
    /** The packed command, built once for every test file. */
    cliTarball: string;
  }
}

/** Builds and packs the command once: test files running side by side must not rebuild dist/ under each other. */
export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), "scriptorium-cli-pack-"));
  sh("npm", ["run", "build"], CLI_DIR);
  const packed = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", folder], CLI_DIR)) as { filename: string }[];
  project.provide("cliTarball", join(folder, packed[0]?.filename ?? ""));
  return () => rmSync(folder, { recursive: true, force: true });
}
