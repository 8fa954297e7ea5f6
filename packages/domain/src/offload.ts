import type { ExportFormat, WriterProvider } from "@scriptorium/contract";
import type { Book, BookExporter } from "./exports/book";
import { DocxExporter } from "./exports/docx";
import { EpubExporter } from "./exports/epub";
import { MarkdownExporter } from "./exports/markdown";
import { PdfExporter } from "./exports/pdf";
import { TextExporter } from "./exports/text";
import { OfflineWriter } from "./generation/writers/offline";
import type { Writer, WriterCall } from "./generation/writers/writer";

/** The writer's stage methods. */
export type WriterMethod = Exclude<keyof Writer, "provider">;
/** A stage method's arguments without its WriterCall (which holds functions and a signal, and stays with the caller). */
type WriterArguments<M extends WriterMethod> = Parameters<Writer[M]> extends [...infer Data, WriterCall] ? Data : never;
type WriterResult<M extends WriterMethod> = Awaited<ReturnType<Writer[M]>>;

/** CPU-heavy, pure work, as plain data that can cross to another thread. */
export type OffloadTask = { kind: "export"; format: ExportFormat; book: Book } | { kind: "offline-write"; method: WriterMethod; args: unknown[] };

/**
 * Where heavy work runs: the server hands it to a pool of worker threads,
 * so that requests are answered while books are written and exported; by
 * default (tests, scripts) it runs here, on the calling thread.
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
  if (task.kind === "export") {
    const exporter = EXPORTERS.get(task.format);
    if (!exporter) throw new Error(`No exporter for ${task.format}`);
    return exporter.build(task.book);
  }
  const method = OFFLINE_WRITER[task.method] as (...args: unknown[]) => Promise<unknown>;
  return method.call(OFFLINE_WRITER, ...task.args, UNINTERRUPTED_CALL);
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

  constructor(private readonly offload: Offload) {}

  private async call<M extends WriterMethod>(method: M, args: WriterArguments<M>, call: WriterCall): Promise<WriterResult<M>> {
    call.signal.throwIfAborted();
    const result = (await this.offload.run({ kind: "offline-write", method, args })) as WriterResult<M>;
    call.signal.throwIfAborted();
    return result;
  }

  highConcept: Writer["highConcept"] = (brief, call) => this.call("highConcept", [brief], call);
  worldBuilding: Writer["worldBuilding"] = (brief, earlier, call) => this.call("worldBuilding", [brief, earlier], call);
  beatSheet: Writer["beatSheet"] = (brief, earlier, call) => this.call("beatSheet", [brief, earlier], call);
  characters: Writer["characters"] = (brief, earlier, call) => this.call("characters", [brief, earlier], call);
  sceneOutline: Writer["sceneOutline"] = (brief, earlier, call) => this.call("sceneOutline", [brief, earlier], call);
  draftScene: Writer["draftScene"] = (input, call) => this.call("draftScene", [input], call);
  reviseScene: Writer["reviseScene"] = (stage, input, call) => this.call("reviseScene", [stage, input], call);
  auditScene: Writer["auditScene"] = (input, call) => this.call("auditScene", [input], call);
}
