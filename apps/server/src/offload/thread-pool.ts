import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { performTask, type Offload, type OffloadTask } from "@scriptorium/domain";
import type { ParsedMetadata } from "@scriptorium/domain/front-matter";
import type { ParseRequest } from "./parse-thread";

/** Threads left idle this long end, giving their memory back; the next task starts one again. */
const IDLE_THREAD_MS = 30_000;
/**
 * A refresh of this many artifacts or more parses its main files on the
 * parse thread. Parsing one file takes some 10 µs here, so a smaller
 * refresh holds the event loop for under 10 ms in all, less than starting
 * the thread would cost.
 */
export const PARSE_THREAD_MIN_ARTIFACTS = 1_000;
/** The parse thread ends this long after its last batch: soon after the refresh, but not between two batches of it. */
const PARSE_THREAD_IDLE_MS = 5_000;
/**
 * The parse thread's young generation, in MiB. Its garbage is short-lived
 * (one batch at a time), and V8's default lets the young generation grow to
 * 32 MiB or more of resident memory in a thread that parses ten thousand files.
 */
const PARSE_THREAD_YOUNG_GENERATION_MB = 4;

/**
 * A thread's entry: `dist/<name>.js` beside the built server's bundle; run
 * from source (tests, `tsx`), `<source>.ts`, loaded through tsx.
 */
function threadEntry(name: string, source: string): { filename: string; execArgv: string[] } {
  const bundled = !import.meta.url.endsWith(".ts");
  if (bundled) return { filename: fileURLToPath(new URL(`./${name}.js`, import.meta.url)), execArgv: [] };
  return { filename: fileURLToPath(new URL(`./${source}.ts`, import.meta.url)), execArgv: ["--import", "tsx"] };
}

interface Waiting {
  resolve: (parsed: ParsedMetadata[]) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread that parses batches of main files, started by the
 * first batch and ended once idle. A plain worker and message port rather
 * than a piscina pool: a refresh of 10 000 artifacts sends about a thousand
 * small batches, and piscina's bookkeeping per task cost the event loop as
 * much time as parsing the batch inline.
 */
class ParseThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Batches parsed since this thread was first started. */
  completed = 0;

  run(texts: string[]): Promise<ParsedMetadata[]> {
    const worker = this.worker ?? this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      const request: ParseRequest = { id, texts };
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    const entry = threadEntry("parse-thread", "parse-thread");
    const resourceLimits = { maxYoungGenerationSizeMb: PARSE_THREAD_YOUNG_GENERATION_MB };
    // From source, the entry is imported once tsx is registered (a worker's own entry file is loaded before its --import hooks).
    const worker = entry.execArgv.length === 0
      ? new Worker(entry.filename, { resourceLimits })
      : new Worker(`import("tsx/esm/api").then((tsx) => (tsx.register(), import(${JSON.stringify(pathToFileURL(entry.filename).href)})))`, { eval: true, resourceLimits });
    worker.on("message", ({ id, parsed }: { id: number; parsed: ParsedMetadata[] }) => {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      this.completed += 1;
      waiting?.resolve(parsed);
      if (this.waiting.size === 0) this.idle(worker);
    });
    // A thread that fails or ends fails what it was asked; the next batch starts a new one.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.waiting.values()) waiting.reject(error);
      this.waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`The parse thread ended (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  /** Nothing waits: the thread no longer keeps the process alive, and ends unless asked again soon. */
  private idle(worker: Worker): void {
    worker.unref();
    this.idleTimer = setTimeout(() => void this.close(), PARSE_THREAD_IDLE_MS).unref();
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

/**
 * Export builds and the offline writer's stages run in this pool of worker
 * threads (piscina), so the event loop keeps answering requests while a
 * 500 000-word PDF is laid out or two books are written. Tasks wait in the
 * pool's queue when every thread is busy.
 *
 * A large refresh's front-matter parsing runs on a thread of its own
 * instead (ParseThread), that loads the YAML parser alone and keeps a small
 * young generation, so it adds little memory beside the event loop's. A
 * small refresh parses here: its batches are too few to pay for a thread.
 */
export class ThreadPoolOffload implements Offload {
  private readonly pool: Piscina;
  private readonly parser = new ParseThread();

  constructor(
    threads = availableParallelism(),
    /** A refresh of this many artifacts or more parses on the parse thread. */
    private readonly parseThreadFrom = PARSE_THREAD_MIN_ARTIFACTS,
  ) {
    this.pool = new Piscina({ ...threadEntry("offload-thread", "thread"), minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: IDLE_THREAD_MS });
  }

  run(task: OffloadTask): Promise<unknown> {
    if (task.kind !== "parse-metadata") return this.pool.run(task);
    if (task.artifacts < this.parseThreadFrom) return performTask(task);
    return this.parser.run(task.texts);
  }

  /** Batches of files the parse thread has parsed since this pool started. */
  get parsedBatches(): number {
    return this.parser.completed;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.destroy(), this.parser.close()]);
  }
}
