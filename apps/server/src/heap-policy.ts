import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { idleSinceLastCheck } from "./event-loop-idle";

/**
 * How far V8 lets the heap grow past what was live at the last full
 * collection before it collects again: 1.5×. Left to itself V8 picks up to
 * 4× on a machine with plenty of memory, so after a burst of allocation (an
 * import or a refresh of ten thousand artifacts allocates some 200 MB, most
 * of it short-lived) the server kept 100 MB or more of garbage resident.
 * Measured on the 10 000-artifact refresh: peak RSS 450 MB by default,
 * about 370 MB with this setting, at a cost within the run-to-run noise.
 * V8 reads the setting at every collection, so setting it here, first
 * thing at start, takes effect for the whole process. (The young
 * generation's size is read only when the process starts: that flag is
 * given on the command line, `apps/server/runtime.json`.)
 */
setFlagsFromString("--heap-growing-percent=50");

/** How often the idle collection looks at the heap. */
const IDLE_CHECK_MS = 1_000;
/** Garbage worth a full collection: heap in use beyond what was live after the last one. */
const IDLE_COLLECT_ABOVE_BYTES = 32 * 1024 * 1024;

/**
 * Even at 1.5×, V8 collects the old generation only when it reaches its
 * limit, and finishes an incremental collection only while the program
 * allocates: after a burst of work (an import, a refresh, an export) an idle
 * server kept 60–90 MB of dead objects resident until its next burst, and
 * that next burst then started from there. So once the event loop has been
 * idle for a second and the heap holds more than 32 MB beyond what the last
 * full collection left, the server collects (a pause of a few tens of
 * milliseconds, taken while nobody waits). It needs V8's `gc` function,
 * which `npm start` and `npm run worker` expose (`apps/server/runtime.json`);
 * a server started without it simply does not do this.
 */
export function collectWhenIdle(collect: () => void, heapInUse: () => number = () => getHeapStatistics().used_heap_size): NodeJS.Timeout {
  let liveAfterCollection = heapInUse();
  const wasIdle = idleSinceLastCheck();
  const timer = setInterval(() => {
    const idle = wasIdle();
    const used = heapInUse();
    // V8 collected on its own since: what it left is the new reference.
    if (used < liveAfterCollection) liveAfterCollection = used;
    if (!idle || used - liveAfterCollection < IDLE_COLLECT_ABOVE_BYTES) return;
    collect();
    liveAfterCollection = heapInUse();
  }, IDLE_CHECK_MS);
  timer.unref();
  return timer;
}

const exposedGc = (globalThis as { gc?: () => void }).gc;
// Twice: the first collection frees the dead objects, the second gives the pages it emptied back to the system.
if (exposedGc) collectWhenIdle(() => {
  exposedGc();
  exposedGc();
});
