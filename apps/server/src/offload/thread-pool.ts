import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { Offload, OffloadTask } from "@scriptorium/domain";

/** Threads left idle this long end, giving their memory back; the next task starts one again. */
const IDLE_THREAD_MS = 30_000;

/**
 * The thread of the built server is `dist/offload-thread.js`, beside the
 * bundle; run from source (tests, `tsx`), it is `thread.ts`, loaded through tsx.
 */
function threadEntry(): { filename: string; execArgv: string[] } {
  const bundled = !import.meta.url.endsWith(".ts");
  if (bundled) return { filename: fileURLToPath(new URL("./offload-thread.js", import.meta.url)), execArgv: [] };
  return { filename: fileURLToPath(new URL("./thread.ts", import.meta.url)), execArgv: ["--import", "tsx"] };
}

/**
 * Export builds and the offline writer's stages run in this pool of worker
 * threads (piscina), so the event loop keeps answering requests while a
 * 500 000-word PDF is laid out or two books are written. Tasks wait in the
 * pool's queue when every thread is busy.
 */
export class ThreadPoolOffload implements Offload {
  private readonly pool: Piscina;

  constructor(threads = availableParallelism()) {
    const entry = threadEntry();
    this.pool = new Piscina({ ...entry, minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: IDLE_THREAD_MS });
  }

  run(task: OffloadTask): Promise<unknown> {
    return this.pool.run(task);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
