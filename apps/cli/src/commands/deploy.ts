import { join, relative } from "node:path";
import { Option, type Command } from "commander";
import { DEPLOY_PROFILES, DEPLOY_SCOPES, layoutArtifact, LayoutRefusal, PAGE_LIMITS, PROFILES, type DeploymentStatus, type DeployProfile, type DeployScope } from "@scriptorium/contract";
import { ServerAnswer, type Api } from "../api";
import { currentArtifacts, fetchArtifact, fetchBlob, type FetchedArtifact } from "../deploy/collection";
import { decidedMarkers, planArtifact, type ArtifactPlan, type Decision, type EntryOutcome, type FileOutcome } from "../deploy/engine";
import { Backups, readLocal, sha256 } from "../deploy/files";
import { compareText, lockPathOf, readLock, writeLock, type Deployment, type Lock } from "../deploy/lock";
import { Reporter, type ReportOptions } from "../deploy/report";
import { SettingsProblem } from "../deploy/settings";
import { localState, statusOf, type LocalState } from "../deploy/status";
import { resolveTarget, type Target } from "../deploy/target";
import { CliError, colour, EXIT, line, printJson, printTable, severityColour, table, warn, when, type ExitCode } from "../output";
import { allPages, resolveArtifact, resolveCollection, type Artifact } from "../resolve";
import { act, type Ctx } from "../run";

/**
 * `deploy`, `status`, `update`, `push` and `undeploy`: artifacts of a
 * collection laid out in a project folder or the home directory for an
 * agent tool, tracked by the target's lock file (docs/deployments.md).
 */

interface TargetFlags extends ReportOptions {
  to?: string;
  profile: DeployProfile;
  scope: DeployScope;
}

function targetOptions(command: Command): Command {
  return command
    .option("--to <dir>", "the project's folder (default: the current one)")
    .addOption(new Option("--profile <profile>", "the agent tool the target is laid out for").choices(DEPLOY_PROFILES).default("claude_code"))
    .addOption(new Option("--scope <scope>", "project: the folder given; user: the home directory").choices(DEPLOY_SCOPES).default("project"))
    .option("--no-report", "tell the server nothing about this target")
    .option("--report-path", "report the host name and the folder's path too (by default only a hash of them)");
}

/** What a command did to one artifact. */
interface ArtifactSummary {
  artifact_id: string;
  collection_id: string;
  type: string;
  name: string;
  action: string;
  status?: DeploymentStatus;
  content_hash?: string;
  collection_content_hash?: string | null;
  message?: string;
  findings?: { rule_id: string; path: string; line: number; message: string }[];
  files: (FileOutcome | LocalState["files"][number])[];
  entries: (EntryOutcome | LocalState["entries"][number])[];
  conflicts?: string[];
}

interface Summary {
  command: string;
  target: { root: string; profile: DeployProfile; scope: DeployScope; lock_file: string };
  dry_run?: boolean;
  /** The folder local files were saved to before being overwritten or removed, relative to the target's root. */
  backup: string | null;
  artifacts: ArtifactSummary[];
}

function summaryOf(command: string, target: Target, backups: Backups | null, artifacts: ArtifactSummary[]): Summary {
  return {
    command,
    target: { root: target.root, profile: target.profile, scope: target.scope, lock_file: relative(target.root, lockPathOf(target.root, target.profile)) },
    backup: backups && backups.saved.length > 0 ? relative(target.root, backups.folder) : null,
    artifacts,
  };
}

function label(artifact: { type: string; name: string }): string {
  return `${artifact.type}/${artifact.name}`;
}

const ATTENTION_ACTIONS = new Set(["refused", "skipped", "conflict", "removed", "failed", "kept"]);

function actionColour(action: string): string {
  if (action === "failed" || action === "refused" || action === "conflict") return colour.red(action);
  if (ATTENTION_ACTIONS.has(action) || action === "behind" || action === "modified" || action === "diverged" || action === "missing") return colour.yellow(action);
  if (action === "unchanged" || action === "current") return colour.dim(action);
  return colour.green(action);
}

function pointerText(entry: { file: string; pointer: string[] }): string {
  return `${entry.file} ${entry.pointer.join(".")}`;
}

/** Per artifact: a line with what happened, then a table of the files and entries that changed. */
function printSummary(summary: Summary): void {
  if (summary.artifacts.length === 0) line(colour.dim(`Nothing deployed in ${summary.target.root} for ${summary.target.profile}.`));
  for (const artifact of summary.artifacts) {
    const shownAction = artifact.action === "checked" && artifact.status ? artifact.status : artifact.action;
    line(`${actionColour(shownAction)}  ${colour.bold(label(artifact))}${artifact.message ? `  ${colour.dim("—")} ${artifact.message}` : ""}`);
    for (const finding of artifact.findings ?? []) line(`    ${severityColour("high")} ${finding.rule_id} ${finding.path}:${finding.line}  ${finding.message}`);
    const rows: string[][] = [];
    for (const file of artifact.files) {
      const state = "action" in file ? file.action : file.state;
      if (state === "unchanged") continue;
      rows.push([file.path, actionColour(state), "backup" in file && file.backup ? `backup: ${file.backup}` : ("note" in file ? (file.note ?? "") : "")]);
    }
    for (const entry of artifact.entries) {
      const state = "action" in entry ? entry.action : entry.state;
      if (state === "unchanged") continue;
      rows.push([pointerText(entry), actionColour(state), entry.note ?? ""]);
    }
    if (rows.length > 0) line(table(["FILE", "WHAT", ""], rows).replace(/^/gm, "    "));
  }
  if (summary.backup) line(colour.dim(`Local files were saved to ${summary.backup} before being replaced.`));
}

function output(ctx: Ctx, summary: Summary): void {
  if (ctx.json) printJson(summary);
  else printSummary(summary);
}

/**
 * A lock records the server its artifacts come from. The same server may be
 * reached at another address (a proxy, another host name), so a different
 * one is said, not refused: artifacts it does not know show as `removed`.
 */
function checkServer(lock: Lock | null, api: Api, target: Target): void {
  if (lock && lock.deployments.length > 0 && lock.server !== api.connection.url) {
    warn(`${lockPathOf(target.root, target.profile)} records deployments from ${lock.server}; this command talks to ${api.connection.url}.`);
  }
}

function layoutOf(target: Target, fetched: FetchedArtifact) {
  const { artifact, files } = fetched;
  return layoutArtifact({
    profile: target.profile,
    scope: target.scope,
    type: artifact.type,
    name: artifact.name,
    description: artifact.metadata.description,
    files: files.map((file) => ({ path: file.path, content: file.content, executable: file.executable })),
    userRoot: target.scope === "user" ? target.root : undefined,
  });
}

function changed(plan: ArtifactPlan): boolean {
  return plan.files.some((f) => !["unchanged", "absent", "kept"].includes(f.action)) || plan.entries.some((e) => !["unchanged", "absent", "kept"].includes(e.action));
}

function planSummary(deployment: Pick<Deployment, "artifact_id" | "collection_id" | "type" | "name">, action: string, plan: ArtifactPlan, contentHash: string): ArtifactSummary {
  return {
    artifact_id: deployment.artifact_id,
    collection_id: deployment.collection_id,
    type: deployment.type,
    name: deployment.name,
    action,
    content_hash: contentHash,
    files: plan.files,
    entries: plan.entries,
    ...(plan.conflicts.length ? { conflicts: plan.conflicts } : {}),
    ...(plan.unresolved.length ? { message: `conflicts kept on the local side: ${plan.unresolved.join(", ")}` } : {}),
  };
}

/** Every deployment's status now, for `status` and for the report the other commands send. */
async function statuses(api: Api, target: Target, lock: Lock): Promise<{ deployment: Deployment; local: LocalState; status: DeploymentStatus; current: Artifact | undefined }[]> {
  const current = await currentArtifacts(api, lock.deployments);
  const answers = [];
  for (const deployment of [...lock.deployments].sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name))) {
    const local = await localState(target.root, deployment);
    const artifact = current.get(deployment.artifact_id);
    answers.push({ deployment, local, status: statusOf(deployment, local, artifact), current: artifact });
  }
  return answers;
}

/** Reports what the target holds; an artifact gone from the collection is left out, since the server can no longer name it. */
async function report(flags: ReportOptions, connect: () => Promise<Api>, target: Target, known?: Awaited<ReturnType<typeof statuses>>): Promise<void> {
  await new Reporter(flags).report(connect, target, async () => {
    const lock = await readLock(target.root, target.profile);
    const rows = known ?? (lock ? await statuses(await connect(), target, lock) : []);
    return rows.filter((row) => row.status !== "removed").map((row) => ({ artifact_id: row.deployment.artifact_id, content_hash: row.deployment.content_hash, status: row.status }));
  });
}

/** A deployment of the lock by artifact id, name, or type/name. */
function findDeployment(lock: Lock, ref: string, target: Target): Deployment {
  const byId = lock.deployments.find((d) => d.artifact_id === ref);
  if (byId) return byId;
  const named = lock.deployments.filter((d) => d.name === ref || label(d) === ref);
  if (named.length === 1 && named[0]) return named[0];
  if (named.length > 1) throw new CliError(`"${ref}" names ${named.length} deployed artifacts: say which with type/name (${named.map(label).join(", ")}).`, EXIT.usage);
  throw new CliError(`Nothing called "${ref}" is deployed in ${target.root} for ${target.profile} (see \`scriptorium status\`).`, EXIT.failed);
}

async function deploy(ctx: Ctx, collectionRef: string, artifactRefs: string[], flags: TargetFlags & { acceptRisk?: boolean }): Promise<ExitCode> {
  const target = await resolveTarget(flags);
  const api = await ctx.api();
  let lock: Lock = (await readLock(target.root, target.profile)) ?? { version: 1, server: api.connection.url, deployments: [] };
  checkServer(lock, api, target);
  // The address the lock was first written with stays, so that teammates reaching the server by other names do not rewrite it.
  if (lock.deployments.length === 0) lock = { ...lock, server: api.connection.url };
  const collection = await resolveCollection(api, collectionRef);
  const explicit = artifactRefs.length > 0;
  const chosen: Artifact[] = [];
  if (explicit) for (const ref of artifactRefs) chosen.push(await resolveArtifact(api, collection, ref));
  else chosen.push(...(await allPages((cursor) => api.client.artifacts.list.query({ collection_id: collection.id, limit: PAGE_LIMITS.max, cursor }))));
  const artifacts = [...new Map(chosen.map((a) => [a.id, a])).values()].sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));

  /** The layout's own message when the profile has no place for the artifact's type (it refuses before reading any file). */
  const noPlace = (artifact: Artifact): string | null => {
    if (PROFILES[target.profile].placements[artifact.type][target.scope].kind !== "refused") return null;
    try {
      layoutArtifact({ profile: target.profile, scope: target.scope, type: artifact.type, name: artifact.name, files: [] });
    } catch (error) {
      if (error instanceof LayoutRefusal) return error.message;
      throw error;
    }
    return null;
  };
  if (explicit) {
    // Asking for a type the tool has no place for is a usage error, found before anything is written.
    const refusals = artifacts.map(noPlace).filter((message) => message !== null);
    if (refusals.length > 0) throw new CliError(`${refusals.join("\n")}\nNothing was deployed.`, EXIT.usage);
  }

  const now = new Date();
  const backups = new Backups(target.root, target.profile, now);
  const summaries: ArtifactSummary[] = [];
  const base = (artifact: Artifact) => ({ artifact_id: artifact.id, collection_id: collection.id, type: artifact.type, name: artifact.name, files: [], entries: [] });
  for (const artifact of artifacts) {
    const refusal = noPlace(artifact);
    if (refusal) {
      summaries.push({ ...base(artifact), action: "skipped", message: refusal });
      continue;
    }
    if (artifact.findings_summary.high > 0 && !flags.acceptRisk) {
      const findings = (await api.client.artifacts.findings.query({ collection_id: collection.id, artifact_id: artifact.id })).items.filter((f) => f.severity === "high");
      summaries.push({
        ...base(artifact),
        action: "refused",
        message: `${findings.length} high finding${findings.length === 1 ? "" : "s"} of the security review: read them, then deploy with --accept-risk to install it anyway`,
        findings: findings.map((f) => ({ rule_id: f.rule_id, path: f.path, line: f.line, message: f.message })),
      });
      continue;
    }
    const fetched = await fetchArtifact(api, collection.id, artifact.id);
    if (!fetched) {
      summaries.push({ ...base(artifact), action: "refused", message: "removed from the collection meanwhile" });
      continue;
    }
    let plan: ArtifactPlan;
    const old = lock.deployments.find((d) => d.artifact_id === artifact.id) ?? lock.deployments.find((d) => d.type === artifact.type && d.name === artifact.name);
    try {
      plan = await planArtifact({ readBlob: (hash) => fetchBlob(api, collection.id, hash), target, lock, old, incoming: { fetched, layout: layoutOf(target, fetched) }, decision: "deploy", backups, now });
    } catch (error) {
      if (!(error instanceof LayoutRefusal) && !(error instanceof SettingsProblem)) throw error;
      summaries.push({ ...base(artifact), action: "refused", message: error.message });
      continue;
    }
    await plan.apply();
    lock = plan.lock;
    await writeLock(target.root, target.profile, lock);
    summaries.push(planSummary({ ...base(artifact) }, changed(plan) ? "deployed" : "unchanged", plan, fetched.artifact.content_hash));
  }

  await report(flags, ctx.api, target);
  output(ctx, summaryOf("deploy", target, backups, summaries));
  const deployed = summaries.filter((s) => s.action === "deployed" || s.action === "unchanged").length;
  if (deployed === 0 && summaries.length > 0) return EXIT.failed;
  return summaries.some((s) => s.action === "refused" || s.action === "skipped") ? EXIT.attention : EXIT.ok;
}

async function status(ctx: Ctx, flags: TargetFlags): Promise<ExitCode> {
  const target = await resolveTarget(flags);
  const lock = await readLock(target.root, target.profile);
  const api = await ctx.api();
  checkServer(lock, api, target);
  const rows = lock ? await statuses(api, target, lock) : [];
  await report(flags, ctx.api, target, rows);
  const artifacts: ArtifactSummary[] = rows.map(({ deployment, local, status, current }) => ({
    artifact_id: deployment.artifact_id,
    collection_id: deployment.collection_id,
    type: deployment.type,
    name: deployment.name,
    action: "checked",
    status,
    content_hash: deployment.content_hash,
    collection_content_hash: current?.content_hash ?? null,
    files: local.files,
    entries: local.entries,
  }));
  const summary = summaryOf("status", target, null, artifacts);
  if (ctx.json) printJson(summary);
  else {
    printTable(
      ["STATUS", "ARTIFACT", "DEPLOYED", "CHANGED HERE"],
      rows.map(({ deployment, local, status }) => [
        actionColour(status),
        label(deployment),
        when(deployment.deployed_at),
        [...local.files.filter((f) => f.state !== "unchanged").map((f) => `${f.path} (${f.state})`), ...local.entries.filter((e) => e.state !== "unchanged").map((e) => `${pointerText(e)} (${e.state})`)].join(", "),
      ]),
      `Nothing deployed in ${target.root} for ${target.profile}.`,
    );
  }
  return rows.some((row) => row.status !== "current") ? EXIT.attention : EXIT.ok;
}

async function update(ctx: Ctx, flags: TargetFlags & { dryRun?: boolean; keepLocal?: boolean; takeCollection?: boolean }): Promise<ExitCode> {
  if (flags.keepLocal && flags.takeCollection) throw new CliError("--keep-local and --take-collection exclude each other.", EXIT.usage);
  const decision: Decision = flags.keepLocal ? "keep_local" : flags.takeCollection ? "take_collection" : "merge";
  const target = await resolveTarget(flags);
  let lock = await readLock(target.root, target.profile);
  const api = await ctx.api();
  checkServer(lock, api, target);
  const now = new Date();
  const backups = new Backups(target.root, target.profile, now);
  const summaries: ArtifactSummary[] = [];
  let failed = false;
  for (const { deployment, status: before, local } of lock ? await statuses(api, target, lock) : []) {
    const summary = (action: string, message?: string): ArtifactSummary => ({
      artifact_id: deployment.artifact_id,
      collection_id: deployment.collection_id,
      type: deployment.type,
      name: deployment.name,
      action,
      status: before,
      ...(message ? { message } : {}),
      files: [],
      entries: [],
    });
    if (before === "current") {
      summaries.push(summary("unchanged"));
      continue;
    }
    if (before === "removed") {
      summaries.push(summary("removed", "gone from the collection: left as it is; `scriptorium undeploy` removes it"));
      continue;
    }
    const marked = local.files.filter((f) => f.state === "conflict").map((f) => f.path);
    if (marked.length > 0 && decision === "merge") {
      summaries.push(summary("conflict", `resolve the conflict markers in ${marked.join(", ")}, or run update --keep-local or --take-collection`));
      continue;
    }
    const overrides = marked.length > 0 ? await decidedMarkers(target.root, marked, decision === "keep_local" ? "local" : "collection") : undefined;
    const fetched = await fetchArtifact(api, deployment.collection_id, deployment.artifact_id);
    if (!fetched) {
      summaries.push(summary("removed", "gone from the collection: left as it is"));
      continue;
    }
    // The lock as it is now: an earlier artifact's change may have moved an entry's markers.
    const current = lock?.deployments.find((d) => d.artifact_id === deployment.artifact_id) as Deployment;
    let plan: ArtifactPlan;
    try {
      plan = await planArtifact({ readBlob: (hash) => fetchBlob(api, deployment.collection_id, hash), target, lock: lock as Lock, old: current, incoming: { fetched, layout: layoutOf(target, fetched) }, decision, backups, overrides, now });
    } catch (error) {
      if (!(error instanceof LayoutRefusal) && !(error instanceof SettingsProblem)) throw error;
      failed = true;
      summaries.push(summary("failed", error.message));
      continue;
    }
    if (!flags.dryRun) {
      await plan.apply();
      lock = plan.lock;
      await writeLock(target.root, target.profile, lock);
    }
    const action = plan.conflicts.length > 0 ? "conflict" : plan.unresolved.length > 0 ? "kept" : changed(plan) ? "updated" : "unchanged";
    summaries.push({ ...planSummary(deployment, action, plan, fetched.artifact.content_hash), status: before });
  }
  if (!flags.dryRun) await report(flags, ctx.api, target);
  const summary = { ...summaryOf("update", target, backups, summaries), ...(flags.dryRun ? { dry_run: true } : {}) };
  output(ctx, summary);
  if (failed) return EXIT.failed;
  return summaries.some((s) => ["conflict", "kept", "removed"].includes(s.action)) ? EXIT.attention : EXIT.ok;
}

async function push(ctx: Ctx, ref: string, flags: TargetFlags): Promise<ExitCode> {
  const target = await resolveTarget(flags);
  const lock = await readLock(target.root, target.profile);
  if (!lock) throw new CliError(`Nothing is deployed in ${target.root} for ${target.profile}.`, EXIT.failed);
  const api = await ctx.api();
  checkServer(lock, api, target);
  const deployment = findDeployment(lock, ref, target);
  const local = await localState(target.root, deployment);
  const marked = local.files.filter((f) => f.state === "conflict").map((f) => f.path);
  if (marked.length > 0) throw new CliError(`Resolve the conflict markers in ${marked.join(", ")} first, then push.`, EXIT.failed);
  const fetched = await fetchArtifact(api, deployment.collection_id, deployment.artifact_id);
  if (!fetched) throw new CliError(`${label(deployment)} is gone from the collection: there is nothing to push to.`, EXIT.failed);
  if (fetched.artifact.content_hash !== deployment.content_hash) {
    throw new CliError(`${label(deployment)} has changed in the collection since it was deployed: run \`scriptorium update\` first, then push.`, EXIT.failed);
  }
  const placed = new Map(layoutOf(target, fetched).files.map((file) => [file.path, file]));
  const deployedSha = new Map(deployment.files.map((file) => [file.path, file.sha256]));
  const files: FileOutcome[] = [];
  const pushable: { path: string; source: string }[] = [];
  for (const file of local.files) {
    if (file.state === "unchanged") continue;
    const layout = placed.get(file.path);
    if (file.state === "missing") files.push({ path: file.path, action: "absent", note: "missing here: not pushed (`scriptorium update` restores it)" });
    else if (!layout?.verbatim) files.push({ path: file.path, action: "kept", note: `converted for ${PROFILES[target.profile].title}: cannot be pushed; edit ${layout?.source ?? "it"} in the collection` });
    else pushable.push({ path: file.path, source: layout.source });
  }
  const entries: EntryOutcome[] = local.entries
    .filter((e) => e.state !== "unchanged")
    .map((e) => ({ file: e.file, pointer: e.pointer, action: "kept", note: "a merged settings entry cannot be pushed: edit the artifact's own file in the collection" }));

  let contentHash = deployment.content_hash;
  const pushed = new Map<string, string>();
  const saveProgress = async () => {
    if (pushed.size === 0) return;
    const next: Deployment = {
      ...deployment,
      content_hash: contentHash,
      deployed_at: new Date().toISOString(),
      files: deployment.files.map((file) => ({ path: file.path, sha256: pushed.get(file.path) ?? file.sha256 })),
    };
    await writeLock(target.root, target.profile, { ...lock, deployments: lock.deployments.map((d) => (d === deployment ? next : d)) });
  };
  try {
    for (const file of pushable) {
      const content = (await readLocal(join(target.root, file.path))) as Buffer;
      const path = file.source.split("/").map(encodeURIComponent).join("/");
      const response = await api
        .rest(`/api/v1/collections/${encodeURIComponent(deployment.collection_id)}/artifacts/${encodeURIComponent(deployment.artifact_id)}/files/${path}`, {
          method: "PUT",
          headers: { "if-match": `"${deployedSha.get(file.path) ?? ""}"`, "content-type": "application/octet-stream" },
          body: content,
        })
        .catch((error: unknown) => {
          if (error instanceof ServerAnswer && error.status === 412) {
            throw new CliError(`${file.source} was changed in the collection since it was deployed: run \`scriptorium update\`, then push again.`, EXIT.failed);
          }
          throw error;
        });
      const edit = (await response.json()) as { artifact: { content_hash: string } };
      contentHash = edit.artifact.content_hash;
      pushed.set(file.path, sha256(content));
      files.push({ path: file.path, action: "written", note: `pushed as ${file.source}` });
    }
  } finally {
    await saveProgress();
  }
  await report(flags, ctx.api, target);
  const summary = summaryOf("push", target, null, [
    {
      artifact_id: deployment.artifact_id,
      collection_id: deployment.collection_id,
      type: deployment.type,
      name: deployment.name,
      action: pushed.size > 0 ? "pushed" : "unchanged",
      content_hash: contentHash,
      ...(pushable.length === 0 && files.length === 0 && entries.length === 0 ? { message: "no local changes to push" } : {}),
      files,
      entries,
    },
  ]);
  output(ctx, summary);
  return files.some((f) => f.action !== "written") || entries.length > 0 ? EXIT.attention : EXIT.ok;
}

async function undeploy(ctx: Ctx, refs: string[], flags: TargetFlags): Promise<ExitCode> {
  const target = await resolveTarget(flags);
  let lock = await readLock(target.root, target.profile);
  if (!lock) throw new CliError(`Nothing is deployed in ${target.root} for ${target.profile}.`, EXIT.failed);
  const chosen = [...new Map(refs.map((ref) => findDeployment(lock as Lock, ref, target)).map((d) => [d.artifact_id, d])).values()];
  const now = new Date();
  const backups = new Backups(target.root, target.profile, now);
  const summaries: ArtifactSummary[] = [];
  let failed = false;
  for (const chosenDeployment of chosen) {
    const deployment = lock.deployments.find((d) => d.artifact_id === chosenDeployment.artifact_id) as Deployment;
    let plan: ArtifactPlan;
    try {
      // Undeploying merges nothing, so it needs no earlier versions from the server.
      plan = await planArtifact({ readBlob: () => Promise.resolve(null), target, lock, old: deployment, incoming: null, decision: "undeploy", backups, now });
    } catch (error) {
      if (!(error instanceof SettingsProblem)) throw error;
      failed = true;
      const { artifact_id, collection_id, type, name } = deployment;
      summaries.push({ artifact_id, collection_id, type, name, action: "failed", message: error.message, files: [], entries: [] });
      continue;
    }
    await plan.apply();
    lock = plan.lock;
    await writeLock(target.root, target.profile, lock);
    summaries.push(planSummary(deployment, "undeployed", plan, deployment.content_hash));
  }
  await report(flags, ctx.api, target);
  output(ctx, summaryOf("undeploy", target, backups, summaries));
  return failed ? EXIT.failed : EXIT.ok;
}

export function registerDeploy(program: Command): void {
  targetOptions(
    program
      .command("deploy <c> [artifact...]")
      .description("lay out a collection's artifacts (default: every one) in a project or the home directory for an agent tool")
      .option("--accept-risk", "deploy artifacts with high findings of the security review too"),
  ).action(act(deploy));
  targetOptions(program.command("status").description("what changed in the target and in the collection since each artifact was deployed")).action(act(status));
  targetOptions(
    program
      .command("update")
      .description("bring deployed artifacts up to the collection's version, merging local changes")
      .option("--dry-run", "say what would change, change nothing")
      .option("--keep-local", "decide every conflict for the local version")
      .option("--take-collection", "decide every conflict for the collection's version"),
  ).action(act(update));
  targetOptions(program.command("push <artifact>").description("send a deployed artifact's local edits into the collection")).action(act(push));
  targetOptions(program.command("undeploy <artifact...>").description("remove deployed artifacts: their files and exactly the settings entries they added")).action(act(undeploy));
}
