import { join } from "node:path";
import { z } from "zod";
import { ArtifactType, DeployProfile, filePathProblem, lockFilePath } from "@scriptorium/contract";
import { CliError, EXIT } from "../output";
import { readLocal, removeFile, writeAtomic } from "./files";

/**
 * The lock file, `<profile folder>/scriptorium.lock.json`: what Scriptorium
 * deployed into a target, so that `status` can tell what changed on either
 * side, `update` can merge, and `undeploy` can remove exactly what was added.
 * It is written sorted, with its keys in a fixed order, so that teams can
 * commit it and read its diffs (docs/deployments.md, "Lock file").
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a SHA-256 in hex (64 characters 0-9, a-f)");
/** A path relative to the target's root: the lock file may come from anyone's commit, so it never names anything outside the target. */
const RelativePath = z.string().superRefine((path, ctx) => {
  const problem = filePathProblem(path);
  if (problem) ctx.addIssue({ code: "custom", message: `the path "${path}" ${problem}` });
});

const LockFile = z.object({ path: RelativePath, sha256: Sha256 });

/**
 * One entry merged into a settings file: where (`file`, `pointer`), how
 * (`mode`: `set` a key, or `append` an element to a list), and the SHA-256
 * of the canonical JSON of the value (keys sorted, no spaces), by which
 * status recognises it and undeploy finds it. `created` lists the
 * containers the entry's deploy created (`[]` is the file itself), so that
 * undeploy removes them again once they are empty, and nothing of the
 * user's.
 */
const LockEntry = z.object({
  file: RelativePath,
  pointer: z.array(z.string()).min(1),
  mode: z.enum(["set", "append"]),
  sha256: Sha256,
  created: z.array(z.array(z.string())).optional(),
});
export type LockEntry = z.infer<typeof LockEntry>;

const Deployment = z.object({
  collection_id: z.string().min(1),
  artifact_id: z.string().min(1),
  type: ArtifactType,
  name: z.string().min(1),
  profile: DeployProfile,
  content_hash: z.string().min(1),
  deployed_at: z.iso.datetime(),
  files: z.array(LockFile),
  entries: z.array(LockEntry).optional(),
  conflicts: z.array(RelativePath).optional(),
});
export type Deployment = z.infer<typeof Deployment>;

const Lock = z.object({
  version: z.literal(1),
  server: z.string().min(1),
  deployments: z.array(Deployment),
});
export type Lock = z.infer<typeof Lock>;

/** Plain code-unit order: the same on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entryKey(entry: LockEntry): string {
  return `${entry.file}\u0000${entry.pointer.join("\u0000")}\u0000${entry.mode}\u0000${entry.sha256}`;
}

/** The lock in its one written form: sorted, keys in a fixed order, 2-space JSON, newline-terminated. */
export function lockText(lock: Lock): string {
  const deployments = [...lock.deployments]
    .sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name) || compareText(a.artifact_id, b.artifact_id))
    .map((d) => ({
      collection_id: d.collection_id,
      artifact_id: d.artifact_id,
      type: d.type,
      name: d.name,
      profile: d.profile,
      content_hash: d.content_hash,
      deployed_at: d.deployed_at,
      files: [...d.files].sort((a, b) => compareText(a.path, b.path)).map((f) => ({ path: f.path, sha256: f.sha256 })),
      ...(d.entries?.length
        ? {
            entries: [...d.entries]
              .sort((a, b) => compareText(entryKey(a), entryKey(b)))
              .map((e) => ({
                file: e.file,
                pointer: e.pointer,
                mode: e.mode,
                sha256: e.sha256,
                ...(e.created?.length ? { created: [...e.created].sort((a, b) => a.length - b.length || compareText(a.join("\u0000"), b.join("\u0000"))) } : {}),
              })),
          }
        : {}),
      ...(d.conflicts?.length ? { conflicts: [...d.conflicts].sort(compareText) } : {}),
    }));
  return `${JSON.stringify({ version: lock.version, server: lock.server, deployments }, null, 2)}\n`;
}

export function lockPathOf(root: string, profile: DeployProfile): string {
  return join(root, lockFilePath(profile));
}

/** The target's lock, or null when nothing was deployed there; a lock that is not one is refused, naming what is wrong. */
export async function readLock(root: string, profile: DeployProfile): Promise<Lock | null> {
  const path = lockPathOf(root, profile);
  const bytes = await readLocal(path);
  if (bytes === null) return null;
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new CliError(`${path} is not valid JSON (${(error as Error).message}); fix it, or restore it from version control. Nothing was changed.`, EXIT.failed);
  }
  const parsed = Lock.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join(".") : "(the whole file)"}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? `; and ${parsed.error.issues.length - 5} more` : "";
    throw new CliError(`${path} is not a Scriptorium lock file: ${problems.join("; ")}${more}. Fix it, or restore it from version control. Nothing was changed.`, EXIT.failed);
  }
  const wrongProfile = parsed.data.deployments.find((d) => d.profile !== profile);
  if (wrongProfile) {
    throw new CliError(`${path} lists ${wrongProfile.type}/${wrongProfile.name} under profile ${wrongProfile.profile}, but it is the ${profile} lock file. Nothing was changed.`, EXIT.failed);
  }
  return parsed.data;
}

/** Writes the lock (whole or not at all), or removes it when it holds nothing. */
export async function writeLock(root: string, profile: DeployProfile, lock: Lock): Promise<void> {
  const path = lockPathOf(root, profile);
  if (lock.deployments.length === 0) {
    await removeFile(path);
    return;
  }
  const text = lockText(lock);
  const current = await readLocal(path);
  if (current !== null && current.toString("utf8") === text) return;
  await writeAtomic(path, text);
}
