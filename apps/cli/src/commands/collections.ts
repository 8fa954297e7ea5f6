import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import { Option, type Command } from "commander";
import { ARTIFACT_TYPES, describeSource, METADATA_FIELDS, ON_CONFLICT, PAGE_LIMITS, REFRESH_MODES, type ArtifactType } from "@scriptorium/contract";
import type { RouterInputs, RouterOutputs } from "../api";
import { bytes, CliError, colour, EXIT, line, printFields, printJson, printTable, severityColour, when, type ExitCode } from "../output";
import { allPages, resolveArtifact, resolveCollection, type Artifact } from "../resolve";
import { act, commaList } from "../run";
import { withRefreshProgress } from "../refresh-progress";

const typeOption = () => new Option("--type <type>", "only artifacts of this type").choices(ARTIFACT_TYPES);

function findingCounts(artifact: Artifact): string {
  const { high, medium, low } = artifact.findings_summary;
  const parts = [high ? colour.red(`${high} high`) : "", medium ? colour.yellow(`${medium} medium`) : "", low ? `${low} low` : ""].filter(Boolean);
  return parts.join(", ");
}

/**
 * A short source as typed in a shell: `./skills` means the folder next to
 * the person typing, so a relative path that exists here is sent absolute
 * (the server reads its own disk; on the same machine that is the same folder).
 */
function sourceArgument(source: string): string {
  if ((source.startsWith("./") || source.startsWith("../") || source === "." || source === "..") && existsSync(source)) return resolve(source);
  return source;
}

export function registerCollections(program: Command): void {
  const collections = program.command("collections").description("collections of agent artifacts");
  collections
    .command("list")
    .description("list the workspace's collections")
    .action(
      act(async (ctx) => {
        const api = await ctx.api();
        const items = await allPages((cursor) => api.client.collections.list.query({ limit: PAGE_LIMITS.max, cursor }));
        if (ctx.json) return printJson({ items, next_cursor: null });
        printTable(["ID", "NAME", "ARTIFACTS", "UPDATED", "DESCRIPTION"], items.map((c) => [c.id, c.name, c.artifact_count, when(c.updated_at), c.description]));
      }),
    );
  collections
    .command("create <name>")
    .description("create a collection")
    .option("--description <text>", "what the collection holds")
    .action(
      act(async (ctx, name: string, opts: { description?: string }) => {
        const api = await ctx.api();
        const created = await api.client.collections.create.mutate({ name, description: opts.description });
        if (ctx.json) return printJson(created);
        line(`Created collection ${colour.bold(created.name)} (${created.id}).`);
      }),
    );
  collections
    .command("show <c>")
    .description("a collection and its artifacts by type")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        const { id } = await resolveCollection(api, ref);
        const collection = await api.client.collections.get.query({ collection_id: id });
        if (ctx.json) return printJson(collection);
        printFields([
          ["id", collection.id],
          ["name", collection.name],
          ["description", collection.description],
          ["artifacts", collection.artifact_count],
          ["created", when(collection.created_at)],
          ["updated", when(collection.updated_at)],
        ]);
      }),
    );
  collections
    .command("delete <c>")
    .description("delete a collection and its artifacts")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const answer = await api.client.collections.delete.mutate({ collection_id: collection.id });
        if (ctx.json) return printJson(answer);
        line(`Deleted collection ${collection.name} (${collection.id}).`);
      }),
    );

  program
    .command("add <c> <source>")
    .description("add artifacts from a source: /abs/path, ./relative, owner/repo/path@ref, or a git URL")
    .addOption(new Option("--type <type>", "the type, when the source does not tell").choices(ARTIFACT_TYPES))
    .option("--name <name>", "a name for a single artifact")
    .action(
      act(async (ctx, ref: string, source: string, opts: { type?: ArtifactType; name?: string }) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const answer = await api.client.artifacts.add.mutate({ collection_id: collection.id, source: sourceArgument(source), type: opts.type, name: opts.name });
        if (ctx.json) return printJson(answer);
        line(`Added ${answer.items.length} artifact${answer.items.length === 1 ? "" : "s"} to ${colour.bold(collection.name)}.`);
        printTable(["ID", "TYPE", "NAME", "FILES", "FINDINGS"], answer.items.map((a) => [a.id, a.type, a.name, a.files.length, findingCounts(a)]));
        return answer.items.some((a) => a.findings_summary.high > 0) ? EXIT.attention : EXIT.ok;
      }),
    );

  program
    .command("artifacts <c>")
    .description("list a collection's artifacts (every page)")
    .addOption(typeOption())
    .option("--name-pattern <glob>", "only names matching this glob (case-insensitive)")
    .action(
      act(async (ctx, ref: string, opts: { type?: ArtifactType; namePattern?: string }) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const items = await allPages((cursor) =>
          api.client.artifacts.list.query({ collection_id: collection.id, type: opts.type, name_pattern: opts.namePattern, limit: PAGE_LIMITS.max, cursor }),
        );
        if (ctx.json) return printJson({ items, next_cursor: null });
        printTable(
          ["ID", "TYPE", "NAME", "SOURCE", "FILES", "MODIFIED", "FINDINGS"],
          items.map((a) => [a.id, a.type, a.name, describeSource(a.source), a.files.length, a.locally_modified ? "yes" : "", findingCounts(a)]),
        );
      }),
    );

  program
    .command("files <c> <artifact>")
    .description("list an artifact's files")
    .action(
      act(async (ctx, ref: string, artifactRef: string) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const artifact = await resolveArtifact(api, collection, artifactRef);
        const answer = await api.client.artifacts.files.query({ collection_id: collection.id, artifact_id: artifact.id });
        if (ctx.json) return printJson(answer);
        printTable(["PATH", "SIZE", "TYPE", "EXEC", "SHA256"], answer.items.map((f) => [f.path, bytes(f.size), f.media_type, f.executable ? "x" : "", f.sha256.slice(0, 12)]));
      }),
    );

  program
    .command("cat <c> <artifact> <path>")
    .description("print a file's raw bytes")
    .action(
      act(async (ctx, ref: string, artifactRef: string, path: string) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const artifact = await resolveArtifact(api, collection, artifactRef);
        const encoded = path.split("/").map(encodeURIComponent).join("/");
        const response = await api.rest(`/api/v1/collections/${encodeURIComponent(collection.id)}/artifacts/${encodeURIComponent(artifact.id)}/files/${encoded}`);
        if (!response.body) return;
        await pipeline(Readable.fromWeb(response.body as ReadableStream), process.stdout, { end: false });
      }),
    );

  program
    .command("findings <c> [artifact]")
    .description("what the security review found: in one artifact, or in every artifact with findings")
    .action(
      act(async (ctx, ref: string, artifactRef: string | undefined) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        if (artifactRef) {
          const artifact = await resolveArtifact(api, collection, artifactRef);
          const answer = await api.client.artifacts.findings.query({ collection_id: collection.id, artifact_id: artifact.id });
          if (ctx.json) printJson(answer);
          else printFindings(answer.items.map((f) => ({ ...f, artifact: `${artifact.type}/${artifact.name}` })));
          return answer.items.some((f) => f.severity === "high") ? EXIT.attention : EXIT.ok;
        }
        const flagged = await allPages((cursor) => api.client.artifacts.list.query({ collection_id: collection.id, findings: "low", limit: PAGE_LIMITS.max, cursor }));
        const items = [];
        for (const artifact of flagged) {
          const answer = await api.client.artifacts.findings.query({ collection_id: collection.id, artifact_id: artifact.id });
          items.push({ artifact_id: artifact.id, type: artifact.type, name: artifact.name, findings: answer.items });
        }
        if (ctx.json) printJson({ collection_id: collection.id, items });
        else printFindings(items.flatMap((a) => a.findings.map((f) => ({ ...f, artifact: `${a.type}/${a.name}` }))));
        return items.some((a) => a.findings.some((f) => f.severity === "high")) ? EXIT.attention : EXIT.ok;
      }),
    );

  program
    .command("refresh <c>")
    .description("refresh a collection from upstream: metadata, check for updates, or sync them in")
    .addOption(new Option("--mode <mode>", "what to do").choices(REFRESH_MODES).default("metadata"))
    .addOption(typeOption())
    .option("--name-pattern <glob>", "only names matching this glob (case-insensitive)")
    .option("--fields <a,b>", `only these metadata fields (${METADATA_FIELDS.join(", ")})`, commaList)
    .option("--dry-run", "compute everything, change nothing")
    .option("--diff", "print each changed file's patch")
    .addOption(new Option("--on-conflict <how>", "what a sync does with conflicting files (merge: the same as skip)").choices([...ON_CONFLICT, "merge"]))
    .option("--accept-findings <keys...>", 'high findings a sync may bring in anyway: "all" or <rule_id>@<path> keys')
    .action(
      act(async (ctx, ref: string, opts: RefreshOptions) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const fields = opts.fields?.map((field) => {
          if (!(METADATA_FIELDS as readonly string[]).includes(field)) throw new CliError(`--fields takes ${METADATA_FIELDS.join(", ")}; not "${field}".`, EXIT.usage);
          return field as (typeof METADATA_FIELDS)[number];
        });
        const input: RouterInputs["collections"]["refresh"] = {
          collection_id: collection.id,
          mode: opts.mode,
          artifact_filter: opts.type || opts.namePattern ? { type: opts.type, name_pattern: opts.namePattern } : undefined,
          dry_run: opts.dryRun ?? false,
          fields,
          on_conflict: opts.onConflict === "merge" ? "skip" : opts.onConflict,
          accept_findings: opts.acceptFindings ? (opts.acceptFindings.includes("all") ? "all" : opts.acceptFindings) : undefined,
          include_diff: opts.diff ?? false,
          entries: "changed",
        };
        const answer = await withRefreshProgress(api, collection, ctx.json, (progressToken) =>
          api.client.collections.refresh.mutate({ ...input, progress_token: progressToken }),
        );
        if (ctx.json) printJson(answer);
        else printRefresh(answer, opts.diff ?? false);
        return refreshExitCode(answer);
      }),
    );

  program
    .command("snapshots <c>")
    .description("a collection's snapshots, newest first")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const items = await allPages((cursor) => api.client.collections.snapshots.query({ collection_id: collection.id, limit: PAGE_LIMITS.max, cursor }));
        if (ctx.json) return printJson({ items, next_cursor: null });
        printTable(["ID", "MODE", "ARTIFACTS", "CREATED"], items.map((s) => [s.id, s.mode, s.artifact_count, when(s.created_at)]));
      }),
    );

  program
    .command("rollback <c>")
    .description("restore a snapshot (default: the newest); the state it replaces is snapshotted first")
    .option("--snapshot <id>", "the snapshot to restore")
    .action(
      act(async (ctx, ref: string, opts: { snapshot?: string }) => {
        const api = await ctx.api();
        const collection = await resolveCollection(api, ref);
        const answer = await api.client.collections.rollback.mutate({ collection_id: collection.id, snapshot_id: opts.snapshot });
        if (ctx.json) return printJson(answer);
        line(`Restored snapshot ${answer.snapshot_id} of ${collection.name}: ${answer.restored_count} artifact${answer.restored_count === 1 ? "" : "s"}.`);
        line(colour.dim(`To undo: scriptorium rollback ${collection.name} --snapshot ${answer.undo_snapshot_id}`));
      }),
    );
}

interface RefreshOptions {
  mode: (typeof REFRESH_MODES)[number];
  type?: ArtifactType;
  namePattern?: string;
  fields?: string[];
  dryRun?: boolean;
  diff?: boolean;
  onConflict?: (typeof ON_CONFLICT)[number] | "merge";
  acceptFindings?: string[];
}

type Refresh = RouterOutputs["collections"]["refresh"];
type RefreshEntry = Refresh["result"]["entries"][number];

function needsAttention(entry: RefreshEntry): boolean {
  return (
    (entry.conflicts?.length ?? 0) > 0 ||
    (entry.merge === "conflict" && entry.status !== "refreshed") ||
    entry.reason_code === "local_conflict" ||
    entry.reason_code === "security_review" ||
    (entry.findings_added ?? []).some((f) => f.severity === "high")
  );
}

/** 1 when something failed; 3 when it is done but conflicts, held-back updates or high findings want a look. */
export function refreshExitCode(answer: Refresh): ExitCode {
  if (answer.status === "error" || answer.result.error_count > 0) return EXIT.failed;
  return answer.result.entries.some(needsAttention) ? EXIT.attention : EXIT.ok;
}

function statusColour(entry: RefreshEntry): string {
  if (entry.status === "error") return colour.red(entry.status);
  if (needsAttention(entry)) return colour.yellow(entry.status);
  if (entry.status === "refreshed") return colour.green(entry.status);
  return entry.status;
}

function printRefresh(answer: Refresh, diff: boolean): void {
  const r = answer.result;
  const counts = [
    `${r.refreshed_count} refreshed`,
    `${r.unchanged_count} unchanged`,
    `${r.skipped_count} skipped`,
    `${r.error_count} failed`,
    `${r.update_available_count} with updates available`,
  ].join(", ");
  line(`${colour.bold(answer.mode)}${answer.dry_run ? " (dry run)" : ""}: ${counts}${answer.snapshot_id ? colour.dim(` — snapshot ${answer.snapshot_id}`) : ""}`);
  for (const entry of r.entries) {
    const details = [
      entry.update_available ? `update ${entry.current_version.slice(0, 12)} → ${(entry.upstream_version ?? "").slice(0, 12)}` : "",
      entry.merge ? `merge: ${entry.merge}` : "",
      entry.changes.length ? `changed: ${entry.changes.join(", ")}` : "",
      entry.files_changed?.length ? `${entry.files_changed.length} file${entry.files_changed.length === 1 ? "" : "s"}` : "",
      entry.conflicts?.length ? colour.yellow(`conflicts: ${entry.conflicts.map((c) => `${c.path} (${c.kind})`).join(", ")}`) : "",
      (entry.findings_added ?? []).length ? `new findings: ${(entry.findings_added ?? []).map((f) => `${severityColour(f.severity)} ${f.rule_id}@${f.path}`).join(", ")}` : "",
      entry.reason ?? "",
      entry.error ? colour.red(entry.error) : "",
    ].filter(Boolean);
    line(`  ${statusColour(entry)}  ${entry.type}/${entry.name}${details.length ? `  ${colour.dim("—")} ${details.join("; ")}` : ""}`);
    if (diff) {
      for (const file of entry.files_changed ?? []) {
        line(colour.bold(`    ${file.change} ${file.path} (+${file.additions} −${file.deletions})`));
        if (file.patch) line(colourPatch(file.patch).replace(/^/gm, "    ").trimEnd());
        if (file.truncated) line(colour.dim("    … (patch cut at its size limit)"));
      }
    }
  }
}

/** A unified diff with its additions green, deletions red and hunk headers cyan (colour only on a terminal). */
export function colourPatch(patch: string): string {
  return patch
    .split("\n")
    .map((l) => {
      if (l.startsWith("+++") || l.startsWith("---")) return colour.bold(l);
      if (l.startsWith("+")) return colour.green(l);
      if (l.startsWith("-")) return colour.red(l);
      if (l.startsWith("@@")) return colour.cyan(l);
      return l;
    })
    .join("\n");
}

interface ArtifactFinding {
  artifact: string;
  severity: string;
  rule_id: string;
  path: string;
  line: number;
  message: string;
}

function printFindings(findings: ArtifactFinding[]): void {
  printTable(
    ["SEVERITY", "ARTIFACT", "WHERE", "RULE", "MESSAGE"],
    findings.map((f) => [severityColour(f.severity), f.artifact, f.line ? `${f.path}:${f.line}` : f.path, f.rule_id, f.message]),
    "No findings.",
  );
}
