import { dirname, join } from "node:path";
import { textOf, type ArtifactLayout, type MergeEntry } from "@scriptorium/contract";
import type { FetchedArtifact } from "./collection";
import { readLocal, removeEmptyFolders, removeFile, sha256, writeAtomic, type Backups } from "./files";
import type { Deployment, Lock, LockEntry } from "./lock";
import { loadSettings, SettingsProblem, valueHash, type Pointer, type SettingsFile } from "./settings";
import type { Target } from "./target";
import { hasConflictMarkers, mergeThreeWay, mergeTwoWay, resolveMarkers, type TextMerge } from "./text-merge";

/**
 * How one deployed artifact is brought to a new state: deployed (the
 * collection's files replace what is there), updated (merged with what
 * changed here), or undeployed. Everything is read and decided first; then
 * local bytes that are not Scriptorium's own are backed up, files and
 * settings are written (each whole or not at all), and the lock is written
 * last, so a command that stops halfway is finished by running it again.
 */

/**
 * - `deploy`: the collection's version wins, whole files.
 * - `merge`: local and collection changes are merged; overlapping ones get conflict markers.
 * - `keep_local` / `take_collection`: merged, every conflict decided that way.
 * - `undeploy`: everything Scriptorium put there goes.
 */
export type Decision = "deploy" | "merge" | "keep_local" | "take_collection" | "undeploy";

export type FileAction =
  | "written" // the collection's version, where there was nothing or Scriptorium's own copy
  | "replaced" // the collection's version over local changes (backed up)
  | "merged" // local and collection changes, merged cleanly
  | "conflict" // merged with conflict markers
  | "resolved" // conflict markers decided one way
  | "kept" // local changes kept (the collection's version did not change, or --keep-local)
  | "unchanged"
  | "removed"
  | "absent"; // nothing there, nothing to do

export interface FileOutcome {
  path: string;
  action: FileAction;
  /** Where the local bytes were saved first, relative to the target's root. */
  backup?: string;
  /** Why, where the action alone does not say. */
  note?: string;
}

export type EntryAction = "set" | "added" | "removed" | "unchanged" | "kept" | "absent";

export interface EntryOutcome {
  file: string;
  pointer: Pointer;
  action: EntryAction;
  note?: string;
}

export interface ArtifactPlan {
  /** The lock after this artifact's change (other deployments' `created` markers may move). */
  lock: Lock;
  files: FileOutcome[];
  entries: EntryOutcome[];
  /** Files left with conflict markers. */
  conflicts: string[];
  /** Conflicts that could not be marked (binary files, entries, a file deleted on one side) and were settled by keeping the local side. */
  unresolved: string[];
  apply(): Promise<void>;
}

/** What `update` passes for a file whose markers `--keep-local` / `--take-collection` decide: the text to take as the local version. */
export type LocalOverrides = Map<string, Buffer>;

interface PlacedIncoming {
  content: Buffer;
  sha256: string;
  executable: boolean;
  verbatim: boolean;
}

interface FileStep {
  path: string;
  write?: { content: Buffer; executable: boolean };
  remove?: boolean;
  /** Local bytes to save before the step. */
  backup?: Buffer;
  outcome: FileOutcome;
}

export interface PlanInput {
  /** A version of a file the collection has held, by SHA-256 (the three-way base); null when it has none. */
  readBlob(sha256: string): Promise<Buffer | null>;
  target: Target;
  lock: Lock;
  /** The artifact as deployed now, if it is. */
  old: Deployment | undefined;
  /** The collection's version and its layout; null to undeploy. */
  incoming: { fetched: FetchedArtifact; layout: ArtifactLayout } | null;
  decision: Decision;
  backups: Backups;
  overrides?: LocalOverrides;
  now: Date;
}

function mergeFor(decision: Decision): "local" | "collection" | undefined {
  if (decision === "keep_local") return "local";
  if (decision === "take_collection") return "collection";
  return undefined;
}

function placedFiles(incoming: PlanInput["incoming"]): Map<string, PlacedIncoming> {
  const placed = new Map<string, PlacedIncoming>();
  for (const file of incoming?.layout.files ?? []) {
    const content = Buffer.from(file.content);
    placed.set(file.path, { content, sha256: sha256(content), executable: file.executable, verbatim: file.verbatim });
  }
  return placed;
}

async function planFile(input: PlanInput, path: string, deployedSha: string | undefined, incoming: PlacedIncoming | undefined, conflicts: string[], unresolved: string[]): Promise<FileStep> {
  const { decision } = input;
  const onDisk = await readLocal(join(input.target.root, path));
  const local = input.overrides?.get(path) ?? onDisk;
  const localSha = local ? sha256(local) : undefined;
  // Bytes that are not what Scriptorium deployed are the user's: saved before they are overwritten or removed.
  const backup = onDisk && sha256(onDisk) !== deployedSha ? onDisk : undefined;
  const keepLocal = (action: FileAction, note?: string): FileStep => {
    // A local version decided from conflict markers is not on disk yet.
    if (local && onDisk && !local.equals(onDisk)) return { path, write: { content: local, executable: incoming?.executable ?? false }, backup, outcome: { path, action: "resolved", note } };
    return { path, outcome: { path, action, ...(note ? { note } : {}) } };
  };

  if (!incoming) {
    if (!local) return { path, outcome: { path, action: "absent" } };
    if (localSha === deployedSha || decision === "deploy" || decision === "undeploy" || decision === "take_collection") {
      return { path, remove: true, backup, outcome: { path, action: "removed" } };
    }
    if (decision === "merge") unresolved.push(path);
    return keepLocal("kept", "deleted in the collection, changed here: kept");
  }
  const write = { content: incoming.content, executable: incoming.executable };
  if (localSha === incoming.sha256) return { path, outcome: { path, action: "unchanged" } };
  if (!local || localSha === deployedSha) return { path, write, outcome: { path, action: "written" } };
  if (decision === "deploy") return { path, write, backup, outcome: { path, action: "replaced" } };
  // Changed here only: the local change stays.
  if (deployedSha === incoming.sha256) return keepLocal("kept");

  // Changed on both sides (or a file of the user's where the collection now puts one).
  const prefer = mergeFor(decision);
  const localText = textOf(local);
  const collectionText = textOf(incoming.content);
  if (localText === null || collectionText === null) {
    if (prefer === "collection") return { path, write, backup, outcome: { path, action: "replaced", note: "binary" } };
    if (!prefer) unresolved.push(path);
    return keepLocal("kept", "binary, changed on both sides: kept the local file; --take-collection takes the collection's");
  }
  let merged: TextMerge;
  const base = deployedSha && incoming.verbatim ? await input.readBlob(deployedSha) : null;
  const baseText = base ? textOf(base) : null;
  if (baseText !== null) merged = mergeThreeWay(baseText, localText, collectionText, prefer);
  else merged = mergeTwoWay(localText, collectionText, prefer);
  if (merged.conflict) conflicts.push(path);
  const content = Buffer.from(merged.text, "utf8");
  if (content.equals(onDisk ?? Buffer.alloc(0))) return { path, outcome: { path, action: "kept" } };
  return { path, write: { content, executable: incoming.executable }, backup, outcome: { path, action: merged.conflict ? "conflict" : "merged" } };
}

function startsWith(pointer: Pointer, prefix: Pointer): boolean {
  return prefix.length <= pointer.length && prefix.every((key, index) => pointer[index] === key);
}

function formatOf(file: string): "json" | "toml" {
  return file.endsWith(".toml") ? "toml" : "json";
}

interface NewEntry extends MergeEntry {
  hash: string;
}

/**
 * Removes what an entry created once it is empty; a container that still
 * holds something of Scriptorium's is handed to the entry that holds it,
 * and one that holds only the user's things is theirs now.
 */
function pruneCreated(settings: SettingsFile, entry: LockEntry, remaining: LockEntry[]): void {
  const created = [...(entry.created ?? [])].sort((a, b) => b.length - a.length);
  for (const container of created) {
    if (settings.removeIfEmpty(container)) continue;
    const heir = remaining.find((other) => other.file === entry.file && startsWith(other.pointer, container));
    if (heir && !(heir.created ?? []).some((c) => c.join("\u0000") === container.join("\u0000"))) heir.created = [...(heir.created ?? []), container];
  }
}

/** Plans the settings entries: removals of what is no longer deployed first, then what the collection's version merges. */
async function planEntries(input: PlanInput, otherEntries: LockEntry[], unresolved: string[]): Promise<{ entries: LockEntry[]; outcomes: EntryOutcome[]; settings: Map<string, SettingsFile> }> {
  const { decision, target } = input;
  const oldEntries = input.old?.entries ?? [];
  const incoming: NewEntry[] = (input.incoming?.layout.merges ?? []).map((merge) => ({ ...merge, hash: valueHash(merge.value) }));
  const settings = new Map<string, SettingsFile>();
  for (const file of new Set([...oldEntries.map((e) => e.file), ...incoming.map((e) => e.file)])) {
    settings.set(file, await loadSettings(target.root, file, incoming.find((e) => e.file === file)?.format ?? formatOf(file)));
  }
  const fileOf = (file: string) => settings.get(file) as SettingsFile;
  const counterpart = (entry: LockEntry): NewEntry | undefined =>
    decision === "undeploy"
      ? undefined
      : incoming.find((n) => n.file === entry.file && n.mode === entry.mode && n.pointer.join("\u0000") === entry.pointer.join("\u0000") && (n.mode === "set" || n.hash === entry.sha256));
  const outcomes: EntryOutcome[] = [];
  const kept: LockEntry[] = [];
  const outcome = (entry: { file: string; pointer: Pointer }, action: EntryAction, note?: string) =>
    outcomes.push({ file: entry.file, pointer: entry.pointer, action, ...(note ? { note } : {}) });

  // What goes: entries with no counterpart in the collection's version.
  const going: LockEntry[] = [];
  for (const entry of oldEntries) {
    if (counterpart(entry)) kept.push(entry);
    else going.push(entry);
  }
  const survivors = [...otherEntries, ...kept];
  for (const entry of going) {
    const settingsFile = fileOf(entry.file);
    if (entry.mode === "append") {
      if (settingsFile.removeElement(entry.pointer, entry.sha256)) outcome(entry, "removed");
      else outcome(entry, "absent", "not found as deployed (changed or removed here): left as it is");
    } else {
      const value = settingsFile.get(entry.pointer);
      if (value === undefined) outcome(entry, "absent");
      else if (valueHash(value) === entry.sha256 || decision === "deploy" || decision === "undeploy" || decision === "take_collection") {
        settingsFile.remove(entry.pointer);
        outcome(entry, "removed");
      } else {
        if (decision === "merge") unresolved.push(`${entry.file}#${entry.pointer.join(".")}`);
        outcome(entry, "kept", "removed from the collection, changed here: kept");
        continue;
      }
    }
    pruneCreated(settingsFile, entry, survivors);
  }

  // What the collection's version merges.
  const entries: LockEntry[] = [];
  for (const next of incoming) {
    const settingsFile = fileOf(next.file);
    const old = kept.find((entry) => counterpart(entry) === next);
    const record = (created: Pointer[]) => {
      const all = [...(old?.created ?? []), ...created];
      entries.push({ file: next.file, pointer: next.pointer, mode: next.mode, sha256: next.hash, ...(all.length ? { created: all } : {}) });
    };
    if (next.mode === "append") {
      if (settingsFile.hasElement(next.pointer, next.hash)) {
        outcome(next, "unchanged");
        record([]);
      } else if (old && decision !== "deploy" && decision !== "take_collection" && settingsFile.get(next.pointer) !== undefined) {
        // Deployed before and not found in its list now: changed or removed here, and that is the user's to decide.
        // (A list that is gone altogether is missing, and restored like a missing file.)
        outcome(next, "kept", "changed or removed here: left as it is");
        record([]);
      } else {
        record(settingsFile.append(next.pointer, next.value));
        outcome(next, "added");
      }
      continue;
    }
    const value = settingsFile.get(next.pointer);
    const localHash = value === undefined ? undefined : valueHash(value);
    if (localHash === next.hash) {
      outcome(next, "unchanged");
      record([]);
    } else if (!old && localHash !== undefined) {
      throw new SettingsProblem(
        `${settingsFile.path} already has ${next.pointer.join(".")}, which Scriptorium did not deploy: rename or remove it, then deploy again (nothing was changed).`,
      );
    } else if (!old || localHash === undefined || localHash === old.sha256 || decision === "deploy" || decision === "take_collection") {
      record(settingsFile.set(next.pointer, next.value));
      outcome(next, "set");
    } else {
      // Changed here; the collection's version changed too, or not.
      if (old.sha256 !== next.hash && decision === "merge") unresolved.push(`${next.file}#${next.pointer.join(".")}`);
      outcome(next, "kept", old.sha256 === next.hash ? undefined : "changed here and in the collection: kept the local value; --take-collection takes the collection's");
      record([]);
    }
  }
  return { entries, outcomes, settings };
}

/** Decides everything for one artifact, reading but writing nothing; `apply()` writes it. */
export async function planArtifact(input: PlanInput): Promise<ArtifactPlan> {
  const { target, old, now } = input;
  const deployed = new Map((old?.files ?? []).map((file) => [file.path, file.sha256]));
  const placed = placedFiles(input.incoming);
  const conflicts: string[] = [];
  const unresolved: string[] = [];
  const steps: FileStep[] = [];
  for (const path of [...new Set([...deployed.keys(), ...placed.keys()])].sort()) {
    steps.push(await planFile(input, path, deployed.get(path), placed.get(path), conflicts, unresolved));
  }

  // Copies: removing an entry may hand a container it made to an entry of another deployment.
  const others: Deployment[] = input.lock.deployments.filter((d) => d !== old).map((d) => (d.entries ? { ...d, entries: d.entries.map((e) => ({ ...e })) } : d));
  const { entries, outcomes, settings } = await planEntries(input, others.flatMap((d) => d.entries ?? []), unresolved);

  let deployments: Deployment[] = others;
  if (input.incoming) {
    const { artifact } = input.incoming.fetched;
    const sameContent = old !== undefined && old.content_hash === artifact.content_hash && old.artifact_id === artifact.id;
    deployments = [
      ...others,
      {
        collection_id: artifact.collection_id,
        artifact_id: artifact.id,
        type: artifact.type,
        name: artifact.name,
        profile: target.profile,
        content_hash: artifact.content_hash,
        // Deploying the same content again changes nothing in the lock.
        deployed_at: sameContent ? old.deployed_at : now.toISOString(),
        files: [...placed.entries()].map(([path, file]) => ({ path, sha256: file.sha256 })),
        ...(entries.length ? { entries } : {}),
        ...(conflicts.length ? { conflicts } : {}),
      },
    ];
  }

  return {
    lock: { ...input.lock, deployments },
    files: steps.map((step) => step.outcome),
    entries: outcomes,
    conflicts,
    unresolved,
    async apply() {
      for (const step of steps) {
        if (step.backup && (step.write || step.remove)) step.outcome.backup = await input.backups.save(step.path, step.backup);
      }
      for (const step of steps) {
        const path = join(target.root, step.path);
        if (step.write) await writeAtomic(path, step.write.content, step.write.executable);
        else if (step.remove) {
          await removeFile(path);
          await removeEmptyFolders(dirname(path), target.root);
        }
      }
      for (const settingsFile of settings.values()) {
        const text = settingsFile.text();
        const before = settingsFile.original;
        if (text !== null && before !== null && before.toString("utf8") === text) continue;
        if (text === null && before === null) continue;
        // A settings file holds the user's own settings: saved before every change.
        if (before !== null) await input.backups.save(settingsFile.file, before);
        if (text === null) await removeFile(settingsFile.path);
        else await writeAtomic(settingsFile.path, text);
      }
    },
  };
}

/** Whether a deployment's files that an update marked still hold their conflict markers. */
export async function markedConflicts(root: string, deployment: Deployment): Promise<string[]> {
  const marked: string[] = [];
  for (const path of deployment.conflicts ?? []) {
    const content = await readLocal(join(root, path));
    const text = content ? textOf(content) : null;
    if (text !== null && hasConflictMarkers(text)) marked.push(path);
  }
  return marked;
}

/** The local versions `--keep-local` / `--take-collection` make of files that still hold markers. */
export async function decidedMarkers(root: string, paths: string[], side: "local" | "collection"): Promise<LocalOverrides> {
  const overrides: LocalOverrides = new Map();
  for (const path of paths) {
    const content = await readLocal(join(root, path));
    const text = content ? textOf(content) : null;
    if (text !== null) overrides.set(path, Buffer.from(resolveMarkers(text, side), "utf8"));
  }
  return overrides;
}
