/**
 * The thread that reads a large metadata refresh's local main files: each
 * message is one batch, read and parsed with the same code that runs inline
 * for a small refresh. It loads that code alone, not the exporters and the
 * writer of the offload threads, so its heap and modules stay small.
 */
import { readLocalMetadata, type LocalMetadataResult } from "@scriptorium/domain/local-metadata";
import type { OffloadTask } from "@scriptorium/domain/offload";

/**
 * Garbage this thread may leave behind, in bytes, before it collects it.
 * A batch's garbage outlives the 4 MiB young generation, and V8 lets the old
 * one grow without collecting: through a 10 000-artifact refresh the heap
 * grew from 6 to 24 MiB (40 MiB of resident memory with the thread's own);
 * collecting once 4 MiB has piled up keeps it at 5–8 MiB (27 MiB resident),
 * at some 5 ms of this thread's time every second or third batch.
 */
const GARBAGE_LIMIT_BYTES = 4 * 1024 * 1024;
/** V8's collector, there when the server runs with --expose-gc (apps/server/runtime.json), as `npm start` does. */
const exposedGc = (globalThis as { gc?: () => void }).gc;
let inUseAfterCollection = process.memoryUsage().heapUsed;

export default async function read(task: Extract<OffloadTask, { kind: "local-metadata" }>): Promise<LocalMetadataResult[]> {
  const results = await readLocalMetadata(task.bounds, task.items);
  if (exposedGc && process.memoryUsage().heapUsed - inUseAfterCollection > GARBAGE_LIMIT_BYTES) {
    exposedGc();
    inUseAfterCollection = process.memoryUsage().heapUsed;
  }
  return results;
}
