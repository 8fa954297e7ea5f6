import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { performTask, type Offload, type OffloadTask } from "@scriptorium/domain";

/** Threads left idle this long end, giving their memory back; the next task starts one again. */
const IDLE_THREAD_MS = 30_000;
/**
 * A metadata refresh of this many artifacts or more reads its local main
 * files on the refresh thread. Reading and parsing one takes some 50 µs, so
 * a smaller refresh holds the event loop for under 50 ms in all, about what
 * starting the thread costs.
 */
export const REFRESH_THREAD_MIN_ARTIFACTS = 1_000;
/**
 * The refresh thread ends this long after its last batch: between two
 * batches of a refresh it is not idle (the next waits in the queue), and
 * once the files are read it should not hold its memory through the rest of
 * the refresh (writing the changes and the answer, where the process peaks).
 */
const REFRESH_THREAD_IDLE_MS = 250;
/**
 * The refresh thread's young generation, in MiB. Its garbage lives for one
 * batch; V8's default lets the young generation grow to 32 MiB or more of
 * resident memory in a thread that reads ten thousand files.
 */
const REFRESH_THREAD_YOUNG_GENERATION_MB = 4;

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
 * A large metadata refresh reads and parses its local main files on a
 * thread of its own instead (a second piscina pool of one thread): it never
 * waits behind a book's export, and it loads that code alone, with a small
 * young generation, so it adds little memory beside the event loop's. A
 * small refresh reads inline: its batches are too few to pay for a thread.
 */
export class ThreadPoolOffload implements Offload {
  private readonly pool: Piscina;
  private readonly refreshReader: Piscina;

  constructor(
    threads = availableParallelism(),
    /** A metadata refresh of this many artifacts or more reads on the refresh thread. */
    private readonly refreshThreadFrom = REFRESH_THREAD_MIN_ARTIFACTS,
  ) {
    this.pool = new Piscina({ ...threadEntry("offload-thread", "thread"), minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: IDLE_THREAD_MS });
    this.refreshReader = new Piscina({
      ...threadEntry("refresh-thread", "refresh-thread"),
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: REFRESH_THREAD_IDLE_MS,
      resourceLimits: { maxYoungGenerationSizeMb: REFRESH_THREAD_YOUNG_GENERATION_MB },
    });
  }

  run(task: OffloadTask): Promise<unknown> {
    if (task.kind !== "local-metadata") return this.pool.run(task);
    if (task.refreshSize < this.refreshThreadFrom) return performTask(task);
    return this.refreshReader.run(task);
  }

  /** Batches the refresh thread has read since this pool started. */
  get refreshBatches(): number {
    return this.refreshReader.completed;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.destroy(), this.refreshReader.destroy()]);
  }
}
