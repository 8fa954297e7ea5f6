import { posix } from "node:path";
import type { ArtifactType } from "@scriptorium/contract";
import { InvalidError } from "../errors";

/** Main files that both mark a folder as an artifact and name its type. */
const TYPED_MAIN_FILES: ReadonlyArray<readonly [string, ArtifactType]> = [
  ["SKILL.md", "skill"],
  ["COMMAND.md", "command"],
  ["AGENT.md", "agent"],
  ["HOOK.md", "hook"],
];
const README = "README.md";

/** Folder names that say what the artifacts inside them are. */
const TYPE_BY_FOLDER: Record<string, ArtifactType> = {
  skills: "skill",
  skill: "skill",
  commands: "command",
  command: "command",
  agents: "agent",
  agent: "agent",
  hooks: "hook",
  hook: "hook",
  mcp: "mcp",
  mcps: "mcp",
  "mcp-servers": "mcp",
  workflows: "workflow",
  workflow: "workflow",
};

/** An artifact found in a source: `path` is relative to the scanned root ("" is the root itself). */
export interface DiscoveredArtifact {
  path: string;
  type: ArtifactType;
  name: string;
  /** A single `.md` file rather than a folder. */
  isFile: boolean;
}

export function validateArtifactName(name: string): string | null {
  if (name.length === 0 || name.length > 200) return "must be 1–200 characters long";
  if (name.includes("/") || name.includes("\\")) return "must not contain / or \\";
  if (name.includes("..")) return "must not contain ..";
  if (name.startsWith(".")) return "must not start with a dot";
  if ([...name].some((char) => char.charCodeAt(0) < 32)) return "must not contain control characters";
  return null;
}

function folderType(folder: string): ArtifactType | undefined {
  return TYPE_BY_FOLDER[folder.toLowerCase()];
}

/**
 * The file metadata is read from: for a file artifact the file itself; for
 * a folder, its type's main file first, then SKILL.md, COMMAND.md, AGENT.md,
 * HOOK.md and README.md, in that order.
 */
export function mainFileOf(files: readonly string[], type: ArtifactType, isFile: boolean): string | null {
  if (isFile) return files[0] ?? null;
  const present = new Set(files);
  return mainFileCandidates(type).find((file) => present.has(file)) ?? null;
}

/** The names a folder artifact's main file may have, in the order they are probed. */
export function mainFileCandidates(type: ArtifactType): string[] {
  const own = TYPED_MAIN_FILES.find(([, t]) => t === type)?.[0];
  return [...new Set([...(own ? [own] : []), ...TYPED_MAIN_FILES.map(([file]) => file), README])];
}

function baseName(path: string, fallback: string): string {
  return posix.basename(path) || fallback;
}

function stripMd(name: string): string {
  return name.replace(/\.md$/i, "");
}

/**
 * Finds the artifacts in a source from its list of files (paths relative
 * to the root, `/`-separated). A root that is itself an artifact gives one;
 * a folder of artifacts (a repository of skills, say) gives each of them.
 */
export function discoverArtifacts(
  files: readonly string[],
  root: { name: string; isFile: boolean },
  hint: { type?: ArtifactType | undefined; name?: string | undefined } = {},
): DiscoveredArtifact[] {
  if (root.isFile) {
    const type = hint.type ?? folderType(posix.basename(posix.dirname(root.name)));
    if (!type) throw new InvalidError(`Cannot tell what kind of artifact ${root.name} is: give its type.`);
    return [{ path: "", type, name: hint.name ?? stripMd(baseName(root.name, "artifact")), isFile: true }];
  }

  const present = new Set(files);
  const rootMain = TYPED_MAIN_FILES.find(([file]) => present.has(file));
  if (rootMain || (hint.type && present.has(README))) {
    const type = hint.type ?? rootMain?.[1];
    if (!type) throw new InvalidError(`Cannot tell what kind of artifact ${root.name} is: give its type.`);
    return [{ path: "", type, name: hint.name ?? baseName(root.name, "artifact"), isFile: false }];
  }

  const found: DiscoveredArtifact[] = [];
  const claimed = new Set<string>();
  const inClaimed = (path: string) => {
    for (let dir = posix.dirname(path); dir !== "." && dir !== "/"; dir = posix.dirname(dir)) if (claimed.has(dir)) return true;
    return false;
  };
  const dirs = [...new Set(files.map((file) => posix.dirname(file)).filter((dir) => dir !== "."))].sort();

  // Folders marked by a main file (shallowest first, so nested files belong to them).
  for (const dir of dirs) {
    if (inClaimed(dir)) continue;
    const main = TYPED_MAIN_FILES.find(([file]) => present.has(`${dir}/${file}`));
    const parentType = folderType(posix.basename(posix.dirname(dir)));
    const readmeType = !main && present.has(`${dir}/${README}`) && parentType && parentType !== "command" && parentType !== "agent" ? parentType : undefined;
    const type = main?.[1] ?? readmeType;
    if (!type) continue;
    found.push({ path: dir, type, name: posix.basename(dir), isFile: false });
    claimed.add(dir);
  }

  // Single-file artifacts: `commands/deploy.md`, `agents/reviewer.md`, …
  for (const file of files) {
    if (!file.toLowerCase().endsWith(".md") || posix.basename(file) === README || inClaimed(file)) continue;
    const type = folderType(posix.basename(posix.dirname(file)));
    if (!type || type === "skill") continue;
    found.push({ path: file, type, name: stripMd(posix.basename(file)), isFile: true });
  }

  if (found.length === 0) {
    throw new InvalidError(
      `No artifacts found in ${root.name}: a folder needs SKILL.md, COMMAND.md, AGENT.md, HOOK.md, or README.md with a type given, ` +
        "or must hold such folders (or commands/, agents/, hooks/, workflows/ folders of .md files).",
    );
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}
