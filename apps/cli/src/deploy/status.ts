import { join } from "node:path";
import type { DeploymentStatus } from "@scriptorium/contract";
import type { Artifact } from "../resolve";
import { readLocal, sha256 } from "./files";
import type { Deployment } from "./lock";
import { markedConflicts } from "./engine";
import { loadSettings, SettingsProblem, valueHash, type Pointer, type SettingsFile } from "./settings";


export type LocalFileState = "unchanged" | "modified" | "missing" | "conflict";

export interface LocalState {
  files: { path: string; state: LocalFileState }[];
  entries: { file: string; pointer: Pointer; state: Exclude<LocalFileState, "conflict">; note?: string }[];
}

/** How the target's copy of a deployment compares with what the lock says was deployed. */
export async function localState(root: string, deployment: Deployment): Promise<LocalState> {
  const marked = new Set(await markedConflicts(root, deployment));
  const files: LocalState["files"] = [];
  for (const file of deployment.files) {
    const content = await readLocal(join(root, file.path));
    const state: LocalFileState = marked.has(file.path) ? "conflict" : content === null ? "missing" : sha256(content) === file.sha256 ? "unchanged" : "modified";
    files.push({ path: file.path, state });
  }
  const entries: LocalState["entries"] = [];
  const loaded = new Map<string, SettingsFile | SettingsProblem>();
  for (const entry of deployment.entries ?? []) {
    if (!loaded.has(entry.file)) {
      loaded.set(
        entry.file,
        await loadSettings(root, entry.file, entry.file.endsWith(".toml") ? "toml" : "json").catch((error: unknown) => {
          if (error instanceof SettingsProblem) return error;
          throw error;
        }),
      );
    }
    const settings = loaded.get(entry.file);
    if (settings instanceof SettingsProblem) {
      entries.push({ file: entry.file, pointer: entry.pointer, state: "modified", note: settings.message });
      continue;
    }
    if (!settings || settings.original === null) {
      entries.push({ file: entry.file, pointer: entry.pointer, state: "missing" });
    } else if (entry.mode === "append") {
      const found = settings.hasElement(entry.pointer, entry.sha256);
      entries.push({ file: entry.file, pointer: entry.pointer, state: found ? "unchanged" : settings.get(entry.pointer) === undefined ? "missing" : "modified" });
    } else {
      const value = settings.get(entry.pointer);
      entries.push({ file: entry.file, pointer: entry.pointer, state: value === undefined ? "missing" : valueHash(value) === entry.sha256 ? "unchanged" : "modified" });
    }
  }
  return { files, entries };
}

/** One deployment's status, from its local state and the collection's current version of it (undefined: gone). */
export function statusOf(deployment: Deployment, local: LocalState, current: Artifact | undefined): DeploymentStatus {
  const states = [...local.files.map((f) => f.state), ...local.entries.map((e) => e.state)];
  if (states.includes("conflict")) return "conflict";
  if (!current) return "removed";
  const behind = current.content_hash !== deployment.content_hash;
  const modified = states.includes("modified");
  if (modified) return behind ? "diverged" : "modified";
  if (states.includes("missing")) return "missing";
  return behind ? "behind" : "current";
}
