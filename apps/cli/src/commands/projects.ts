import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { EXPORT_FORMATS, PAGE_LIMITS, STAGE_COUNT, STEERING_LIMITS, type ExportFormat } from "@scriptorium/contract";
import type { Api, RouterInputs, RouterOutputs } from "../api";
import { followJob } from "../follow";
import { bytes, CliError, colour, EXIT, isTerminal, line, note, printFields, printJson, printTable, when } from "../output";
import { allPages, resolveProject } from "../resolve";
import { act, commaList, wholeNumber } from "../run";

type JobStatus = RouterOutputs["generation"]["status"];

function jobLine(job: JobStatus): string {
  const stage = job.current_stage ? `, stage ${job.current_stage.number} ${job.current_stage.name}` : "";
  return `job ${job.job_id}: ${job.status}${stage}, ${Math.round(job.progress * 100)}%, ${job.words.toLocaleString("en")} words`;
}

type Plan = RouterOutputs["generation"]["plan"];
type JobSummary = RouterOutputs["generation"]["jobs"]["items"][number];

function dollars(usd: number | null): string {
  if (usd === null) return "unknown";
  return usd === 0 ? "free" : `$${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(2)}`;
}

function seconds(value: number): string {
  return value < 1 ? "<1 s" : value < 120 ? `${Math.round(value)} s` : `${Math.round(value / 60)} min`;
}

function runKind(job: JobSummary): string {
  if (job.kind === "stage") return `stage ${job.only_stage ?? "?"}`;
  if (job.kind === "full") return job.force ? "full, forced" : "full";
  if (!job.rewrite) return "rewrite";
  const part = job.rewrite.scene === null ? `ch. ${job.rewrite.chapter}` : `ch. ${job.rewrite.chapter} sc. ${job.rewrite.scene}`;
  return `${job.rewrite.from === "revise" ? "revision" : "rewrite"} ${part}`;
}

function printPlan(plan: Plan): void {
  if (plan.active_job) line(colour.dim(`What job ${plan.active_job.job_id} (${plan.active_job.status}) still has to do:`));
  printTable(
    ["#", "STAGE", "WHY", "SCENES", "TOKENS IN/OUT", "COST", "TIME"],
    plan.stages.map((stage) => [
      stage.number,
      stage.name,
      stage.reason,
      stage.scenes === null ? "" : stage.pinned_scenes > 0 ? `${stage.scene_count} (${stage.pinned_scenes} pinned)` : stage.scene_count,
      stage.requests === 0 ? "" : `${stage.input_tokens.toLocaleString("en")}/${stage.output_tokens.toLocaleString("en")}`,
      dollars(stage.cost_usd),
      seconds(stage.seconds),
    ]),
    "(nothing to run: every stage is finished and up to date)",
  );
  if (plan.stages.length > 0) {
    const { totals } = plan;
    line(`${colour.bold("total")}  ${dollars(totals.cost_usd)}, about ${seconds(totals.seconds)}${totals.requests > 0 ? `, ${totals.requests.toLocaleString("en")} model requests` : ""}`);
  }
  if (plan.budget_usd !== null) line(`budget ${dollars(plan.budget_usd)}, spent ${dollars(plan.spent_usd)}`);
  for (const warning of plan.warnings) note(colour.yellow(`! ${warning.message}`));
}

interface CreateOptions {
  title: string;
  author?: string;
  genre?: string;
  synopsis?: string;
  words?: number;
  chapters?: number;
  scenes?: number;
  seed?: number;
  budget?: string;
}

export function registerProjects(program: Command): void {
  const projects = program.command("projects").description("manuscript projects");
  projects
    .command("list")
    .description("list the projects, newest first")
    .action(
      act(async (ctx) => {
        const api = await ctx.api();
        const items = await allPages((cursor) => api.client.projects.list.query({ limit: PAGE_LIMITS.max, cursor }));
        if (ctx.json) return printJson({ items, next_cursor: null });
        printTable(["ID", "TITLE", "GENRE", "WORDS", "CHAPTERS", "STATUS", "CREATED"], items.map((p) => [p.id, p.title, p.genre, p.target_words, p.chapters, p.status, when(p.created_at)]));
      }),
    );
  projects
    .command("create")
    .description("create a project")
    .requiredOption("--title <title>", "the book's title")
    .option("--author <name>", "the author")
    .option("--genre <genre>", "e.g. fantasy, science fiction, mystery, thriller, romance, horror, literary")
    .option("--synopsis <text>", "what happens")
    .option("--words <n>", "target length in words (default 60 000)", wholeNumber)
    .option("--chapters <n>", "chapters (default: from the length and genre)", wholeNumber)
    .option("--scenes <n>", "scenes per chapter (default 3)", wholeNumber)
    .option("--seed <n>", "same project and seed, same book (offline writer)", wholeNumber)
    .option("--budget <usd>", "LLM spending limit in US dollars")
    .action(
      act(async (ctx, opts: CreateOptions) => {
        const budget = opts.budget === undefined ? undefined : Number(opts.budget);
        if (budget !== undefined && !(budget > 0)) throw new CliError(`--budget takes an amount in dollars; not "${opts.budget}".`, EXIT.usage);
        const input: RouterInputs["projects"]["create"] = {
          title: opts.title,
          author: opts.author,
          genre: opts.genre,
          synopsis: opts.synopsis,
          target_words: opts.words,
          chapters: opts.chapters,
          scenes_per_chapter: opts.scenes,
          seed: opts.seed,
          budget_usd: budget,
        };
        const api = await ctx.api();
        const project = await api.client.projects.create.mutate(input);
        if (ctx.json) return printJson(project);
        line(`Created project ${colour.bold(project.title)} (${project.id}): ${project.target_words.toLocaleString("en")} words in ${project.chapters} chapters, seed ${project.seed}.`);
      }),
    );
  projects
    .command("show <p>")
    .description("a project and the state of its stages")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        const { id } = await resolveProject(api, ref);
        const project = await api.client.projects.get.query({ id });
        if (ctx.json) return printJson(project);
        printFields([
          ["id", project.id],
          ["title", project.title],
          ["author", project.author],
          ["genre", project.genre],
          ["words", project.target_words],
          ["chapters", project.scenes_per_chapter === null ? `${project.chapters}, scenes as the outline has them` : `${project.chapters} × ${project.scenes_per_chapter} scenes`],
          ["writer", `${project.writer.provider}${project.writer.model ? ` (${project.writer.model})` : ""}`],
          ["seed", project.seed],
          ["status", project.status],
          ["created", when(project.created_at)],
        ]);
        if (project.status === "new") return;
        const stages = await api.client.generation.stages.query({ id });
        line();
        printTable(
          ["#", "STAGE", "STATUS", "PROGRESS", "TIME"],
          stages.items.map((s) => [s.number, s.name, s.status, `${Math.round(s.progress * 100)}%`, s.duration_ms === null ? "" : `${(s.duration_ms / 1000).toFixed(1)} s`]),
        );
      }),
    );
  projects
    .command("delete <p>")
    .description("delete a project with its outputs (cancel its job first)")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        const answer = await api.client.projects.delete.mutate({ id: project.id });
        if (ctx.json) return printJson(answer);
        line(`Deleted project ${project.title} (${project.id}).`);
      }),
    );

  program
    .command("generate <p>")
    .description("start generating: every stage not finished yet")
    .option("--force", "redo every stage")
    .option("--follow", "show the job's progress until it ends")
    .action(
      act(async (ctx, ref: string, opts: { force?: boolean; follow?: boolean }) => {
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        const job = await api.client.generation.start.mutate({ id: project.id, force: opts.force ?? false });
        if (opts.follow) return followJob(api, project, ctx.json, job);
        if (ctx.json) return printJson(job);
        line(jobLine(job));
        line(colour.dim(`Follow it with: scriptorium follow ${project.id}`));
      }),
    );

  program
    .command("follow <p>")
    .description("show a project's job until it completes, fails or is cancelled (Ctrl-C stops following, not the job)")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        return followJob(api, await resolveProject(api, ref), ctx.json);
      }),
    );

  for (const [name, description] of [
    ["pause", "pause the job at its next checkpoint"],
    ["resume", "resume a paused job"],
    ["cancel", "cancel the job (finished stages are kept)"],
  ] as const) {
    program
      .command(`${name} <p>`)
      .description(description)
      .action(
        act(async (ctx, ref: string) => {
          const api = await ctx.api();
          const project = await resolveProject(api, ref);
          const job = await api.client.generation[name].mutate({ id: project.id });
          if (ctx.json) return printJson(job);
          line(jobLine(job));
        }),
      );
  }

  program
    .command("stage <p> <n>")
    .description(`run one stage (1–${STAGE_COUNT}) alone; the stages before it must be finished`)
    .option("--follow", "show the job's progress until it ends")
    .action(
      act(async (ctx, ref: string, n: string, opts: { follow?: boolean }) => {
        const stage = wholeNumber(n);
        if (stage < 1 || stage > STAGE_COUNT) throw new CliError(`A stage number is 1–${STAGE_COUNT}; not ${n}.`, EXIT.usage);
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        const job = await api.client.generation.runStage.mutate({ id: project.id, stage_number: stage });
        if (opts.follow) return followJob(api, project, ctx.json, job);
        if (ctx.json) return printJson(job);
        line(jobLine(job));
      }),
    );

  program
    .command("plan <p>")
    .description("what a start would run now and why, with estimated tokens, cost and time (nothing starts)")
    .option("--force", "plan a start that redoes every stage (with --rewrite-chapter: pinned scenes too)")
    .option("--stage <n>", `plan running one stage (1–${STAGE_COUNT}) alone`, wholeNumber)
    .option("--rewrite-chapter <n>", "plan a rewrite of this chapter", wholeNumber)
    .option("--rewrite-scene <n>", "with --rewrite-chapter: of this scene alone", wholeNumber)
    .option("--revise", "with --rewrite-chapter: revise the current text rather than write it anew")
    .action(
      act(async (ctx, ref: string, opts: { force?: boolean; stage?: number; rewriteChapter?: number; rewriteScene?: number; revise?: boolean }) => {
        if (opts.rewriteChapter === undefined && (opts.rewriteScene !== undefined || opts.revise)) {
          throw new CliError("--rewrite-scene and --revise plan a rewrite: name its chapter with --rewrite-chapter.", EXIT.usage);
        }
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        const plan = await api.client.generation.plan.query({
          id: project.id,
          stage: opts.stage,
          force: opts.force,
          rewrite_chapter: opts.rewriteChapter,
          rewrite_scene: opts.rewriteScene,
          rewrite_from: opts.rewriteChapter === undefined ? undefined : opts.revise ? "revise" : "draft",
        });
        if (ctx.json) return printJson(plan);
        printPlan(plan);
      }),
    );

  program
    .command("rewrite <p>")
    .description("rewrite a chapter or one scene following an instruction; every other chapter stays as it is")
    .requiredOption("--chapter <n>", "the chapter", wholeNumber)
    .option("--scene <n>", "one scene of the chapter (default: the whole chapter)", wholeNumber)
    .requiredOption("--instruction <text>", `what should change (up to ${STEERING_LIMITS.instructionChars.toLocaleString("en")} characters)`)
    .option("--revise", "revise the current text with the instruction rather than write it anew")
    .option("--force", "rewrite scenes written by hand (pinned) too, dropping their pins")
    .option("--follow", "show the job's progress until it ends")
    .action(
      act(async (ctx, ref: string, opts: { chapter: number; scene?: number; instruction: string; revise?: boolean; force?: boolean; follow?: boolean }) => {
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        const job = await api.client.generation.rewrite.mutate({
          id: project.id,
          chapter: opts.chapter,
          scene: opts.scene,
          instruction: opts.instruction,
          from: opts.revise ? "revise" : "draft",
          force: opts.force,
        });
        if (opts.follow) return followJob(api, project, ctx.json, job);
        if (ctx.json) return printJson(job);
        line(jobLine(job));
        line(colour.dim(`Follow it with: scriptorium follow ${project.id}`));
      }),
    );

  program
    .command("runs <p>")
    .description("every job of a project, newest first: kind, status, time, words, cost and workers")
    .action(
      act(async (ctx, ref: string) => {
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        const items = await allPages((cursor) => api.client.generation.jobs.query({ id: project.id, limit: PAGE_LIMITS.max, cursor }));
        if (ctx.json) return printJson({ items, next_cursor: null });
        printTable(
          ["JOB", "KIND", "STATUS", "CREATED", "TIME", "WORDS", "TOKENS", "COST", "ATTEMPTS"],
          items.map((job) => [
            job.job_id,
            runKind(job),
            job.status,
            when(job.created_at),
            job.duration_ms === null ? "" : `${(job.duration_ms / 1000).toFixed(1)} s`,
            job.words ?? "",
            job.tokens,
            dollars(job.cost_usd),
            job.attempts.length,
          ]),
        );
      }),
    );

  program
    .command("export <p>")
    .description("build the exports, then download them")
    .option("--format <f,…>", `formats (default all: ${EXPORT_FORMATS.join(", ")})`, commaList)
    .option("-o, --output <dir>", "folder to write the files into", ".")
    .action(
      act(async (ctx, ref: string, opts: { format?: string[]; output: string }) => {
        const formats = opts.format?.map((format) => {
          if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`--format takes ${EXPORT_FORMATS.join(", ")}; not "${format}".`, EXIT.usage);
          return format as ExportFormat;
        });
        const api = await ctx.api();
        const project = await resolveProject(api, ref);
        if (!ctx.json && process.stderr.isTTY) note(colour.dim(`Building ${formats?.join(", ") ?? "every format"} of ${project.title}…`));
        const built = await api.client.exports.build.mutate({ id: project.id, formats: formats ? [...new Set(formats)] : undefined });
        const directory = resolve(opts.output);
        await mkdir(directory, { recursive: true });
        const bars = !ctx.json && isTerminal() ? new cliProgress.MultiBar({ format: "{file} |{bar}| {percentage}% {size}", hideCursor: true }, cliProgress.Presets.shades_classic) : null;
        const files = [];
        try {
          for (const item of built.items) {
            const bar = bars?.create(item.size_bytes, 0, { file: item.filename.padEnd(24), size: bytes(item.size_bytes) });
            const path = join(directory, item.filename);
            await download(api, `/api/v2/projects/${encodeURIComponent(project.id)}/export/${item.format}`, path, item.sha256, (done) => bar?.update(done));
            files.push({ format: item.format, filename: item.filename, path, size_bytes: item.size_bytes, sha256: item.sha256, stale: item.stale });
          }
        } finally {
          bars?.stop();
        }
        if (ctx.json) return printJson({ project_id: project.id, directory, files });
        printTable(["FORMAT", "FILE", "SIZE"], files.map((f) => [f.format, f.path, bytes(f.size_bytes)]));
      }),
    );
}

/**
 * Downloads into a temporary file beside the target and renames it into
 * place once complete and checked, so that DIR never holds a partial file.
 */
async function download(api: Api, route: string, path: string, sha256: string, progress: (bytes: number) => void): Promise<void> {
  const response = await api.rest(route);
  if (!response.body) throw new CliError(`${route} answered no body.`);
  const temporary = `${path}.${process.pid}.part`;
  const hash = createHash("sha256");
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      received += chunk.length;
      progress(received);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream), count, createWriteStream(temporary, { mode: 0o644 }));
    const actual = hash.digest("hex");
    if (actual !== sha256) throw new CliError(`${path}: the download's SHA-256 is ${actual}, not the ${sha256} the server announced; try again.`);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
