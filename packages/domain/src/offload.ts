import { randomUUID } from "node:crypto";
import type { ExportFormat, WriterProvider } from "@scriptorium/contract";
import { readLocalMetadata, type LocalMetadataRequest } from "./collections/local-metadata";
import type { LocalBounds } from "./collections/upstream/local-bounds";
import type { Book, BookExporter } from "./exports/book";
import { DocxExporter } from "./exports/docx";
import { EpubExporter } from "./exports/epub";
import { MarkdownExporter } from "./exports/markdown";
import { PdfExporter } from "./exports/pdf";
import { TextExporter } from "./exports/text";
import { computeQualityReport, type QualityChapter } from "./generation/quality";
import { OfflineWriter } from "./generation/writers/offline";
import type { ProjectBrief, SceneInput, StoryPlan, Writer, WriterCall } from "./generation/writers/writer";

/** The writer's stage methods. */
export type WriterMethod = Exclude<keyof Writer, "provider">;
/** A stage method's arguments without its WriterCall (which holds functions and a signal, and stays with the caller). */
type WriterArguments<M extends WriterMethod> = Parameters<Writer[M]> extends [...infer Data, WriterCall] ? Data : never;
type WriterResult<M extends WriterMethod> = Awaited<ReturnType<Writer[M]>>;

/**
 * CPU-heavy, pure work, as plain data that can cross to another thread.
 * `local-metadata` reads and parses a batch of a metadata refresh's local
 * main files (answering LocalMetadataResult[] in the same order); the
 * refresh has `refreshSize` artifacts in all, since whether its reading is
 * worth another thread depends on its size. `quality-report` is the last
 * stage's reading of the whole manuscript (QualityReport): some 400 ms for a
 * 500 000-word book.
 */
export type OffloadTask =
  | { kind: "export"; format: ExportFormat; book: Book }
  | { kind: "quality-report"; brief: ProjectBrief; chapters: QualityChapter[] }
  | { kind: "offline-write"; method: WriterMethod; args: unknown[]; plan?: PlanRef }
  | { kind: "local-metadata"; bounds: LocalBounds; items: LocalMetadataRequest[]; refreshSize: number };

/**
 * The story plan of a scene call, by reference: a scene stage makes hundreds
 * of calls with the same plan (the whole outline), so the plan crosses to a
 * thread once, and later calls name it. A thread that has not seen it yet
 * answers PLAN_MISSING, and the call is sent again with the plan.
 */
export interface PlanRef {
  id: string;
  value?: StoryPlan;
}

export const PLAN_MISSING = "offload: story plan not known here";
/** Plans a thread keeps: the scene stages of a few jobs at once. */
const KNOWN_PLANS_MAX = 8;
const knownPlans = new Map<string, StoryPlan>();

function planOf(ref: PlanRef): StoryPlan {
  if (ref.value) {
    knownPlans.delete(ref.id);
    knownPlans.set(ref.id, ref.value);
    if (knownPlans.size > KNOWN_PLANS_MAX) knownPlans.delete(knownPlans.keys().next().value as string);
    return ref.value;
  }
  const known = knownPlans.get(ref.id);
  if (!known) throw new Error(PLAN_MISSING);
  return known;
}

/**
 * Where heavy work runs: the server hands it to a pool of worker threads,
 * so that requests are answered while books are written and exported and
 * large refreshes read their files; by default (tests, scripts) it runs
 * here, on the calling thread.
 */
export interface Offload {
  run(task: OffloadTask): Promise<unknown>;
}

const EXPORTERS: ReadonlyMap<ExportFormat, BookExporter> = new Map(
  [new DocxExporter(), new EpubExporter(), new PdfExporter(), new MarkdownExporter(), new TextExporter()].map((exporter) => [exporter.format, exporter]),
);
const OFFLINE_WRITER = new OfflineWriter();
/** The offline writer spends nothing and is not interrupted mid-call: its caller checks for a pause before and after. */
const UNINTERRUPTED_CALL: WriterCall = { signal: new AbortController().signal, onUsage: () => undefined, remainingBudgetUsd: () => null };

/** Does one task: what a worker thread runs for each message, and what runs inline without a pool. */
export async function performTask(task: OffloadTask): Promise<unknown> {
  if (task.kind === "local-metadata") return readLocalMetadata(task.bounds, task.items);
  if (task.kind === "quality-report") return computeQualityReport(task.brief, task.chapters);
  if (task.kind === "export") {
    const exporter = EXPORTERS.get(task.format);
    if (!exporter) throw new Error(`No exporter for ${task.format}`);
    return exporter.build(task.book);
  }
  const method = OFFLINE_WRITER[task.method] as (...args: unknown[]) => Promise<unknown>;
  const args = task.plan ? [...task.args.slice(0, -1), { ...(task.args.at(-1) as Omit<SceneInput, "plan">), plan: planOf(task.plan) }] : task.args;
  return method.call(OFFLINE_WRITER, ...args, UNINTERRUPTED_CALL);
}

export const INLINE_OFFLOAD: Offload = { run: performTask };

/** An exporter whose builds run wherever `offload` runs work. */
export class OffloadedExporter implements BookExporter {
  readonly mimeType: string;
  readonly extension: string;

  constructor(
    readonly format: ExportFormat,
    private readonly offload: Offload,
  ) {
    const local = EXPORTERS.get(format);
    if (!local) throw new Error(`No exporter for ${format}`);
    this.mimeType = local.mimeType;
    this.extension = local.extension;
  }

  async build(book: Book): Promise<Uint8Array> {
    return (await this.offload.run({ kind: "export", format: this.format, book })) as Uint8Array;
  }
}

/** The offline writer, each call run wherever `offload` runs work; pauses and cancels are honoured between calls. */
export class OffloadedOfflineWriter implements Writer {
  readonly provider: WriterProvider = "offline";

  /** The id each plan goes by (a scene stage passes the same plan object to all its calls). */
  private readonly planIds = new WeakMap<StoryPlan, string>();

  constructor(private readonly offload: Offload) {}

  private async call<M extends WriterMethod>(method: M, args: WriterArguments<M>, call: WriterCall): Promise<WriterResult<M>> {
    call.signal.throwIfAborted();
    const result = (await this.offload.run({ kind: "offline-write", method, args })) as WriterResult<M>;
    call.signal.throwIfAborted();
    return result;
  }

  /** A scene call: its input's plan goes by reference once a thread has it (see PlanRef). */
  private async sceneCall<M extends "draftScene" | "reviseScene" | "auditScene" | "rewriteScene">(method: M, leading: unknown[], input: SceneInput, call: WriterCall): Promise<WriterResult<M>> {
    call.signal.throwIfAborted();
    const { plan, ...rest } = input;
    const known = this.planIds.get(plan);
    const id = known ?? randomUUID();
    this.planIds.set(plan, id);
    const send = (withPlan: boolean) => this.offload.run({ kind: "offline-write", method, args: [...leading, rest], plan: withPlan ? { id, value: plan } : { id } });
    let result: unknown;
    try {
      result = await send(known === undefined);
    } catch (error) {
      if (!(error instanceof Error) || error.message !== PLAN_MISSING) throw error;
      result = await send(true);
    }
    call.signal.throwIfAborted();
    return result as WriterResult<M>;
  }

  highConcept: Writer["highConcept"] = (brief, call) => this.call("highConcept", [brief], call);
  worldBuilding: Writer["worldBuilding"] = (brief, earlier, call) => this.call("worldBuilding", [brief, earlier], call);
  beatSheet: Writer["beatSheet"] = (brief, earlier, call) => this.call("beatSheet", [brief, earlier], call);
  characters: Writer["characters"] = (brief, earlier, call) => this.call("characters", [brief, earlier], call);
  sceneOutline: Writer["sceneOutline"] = (brief, earlier, call) => this.call("sceneOutline", [brief, earlier], call);
  draftScene: Writer["draftScene"] = (input, call) => this.sceneCall("draftScene", [], input, call);
  reviseScene: Writer["reviseScene"] = (stage, input, call) => this.sceneCall("reviseScene", [stage], input, call);
  auditScene: Writer["auditScene"] = (input, call) => this.sceneCall("auditScene", [], input, call);
  rewriteScene: Writer["rewriteScene"] = (rewrite, input, call) => this.sceneCall("rewriteScene", [rewrite], input, call);
}
