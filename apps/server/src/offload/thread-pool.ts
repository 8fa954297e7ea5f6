import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { performTask, type Offload, type OffloadTask } from "@scriptorium/domain";

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

/**
 * Export builds and the offline writer's stages run in this pool of worker
 * threads (piscina), so the event loop keeps answering requests while a
 * 500 000-word PDF is laid out or two books are written. Tasks wait in the
 * pool's queue when every thread is busy.
 *
 * A large refresh's front-matter parsing runs on a thread of its own
 * instead: one thread, started by the first large refresh and ended when
 * idle, that loads the YAML parser alone and keeps a small young
 * generation, so it adds little memory beside the event loop's. A small
 * refresh parses here: its batches are too few to pay for a thread.
 */
export class ThreadPoolOffload implements Offload {
  private readonly pool: Piscina;
  private readonly parser: Piscina;

  constructor(
    threads = availableParallelism(),
    /** A refresh of this many artifacts or more parses on the parse thread. */
    private readonly parseThreadFrom = PARSE_THREAD_MIN_ARTIFACTS,
  ) {
    this.pool = new Piscina({ ...threadEntry("offload-thread", "thread"), minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: IDLE_THREAD_MS });
    this.parser = new Piscina({
      ...threadEntry("parse-thread", "parse-thread"),
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: PARSE_THREAD_IDLE_MS,
      resourceLimits: { maxYoungGenerationSizeMb: PARSE_THREAD_YOUNG_GENERATION_MB },
    });
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
    await Promise.all([this.pool.destroy(), this.parser.destroy()]);
  }
}
