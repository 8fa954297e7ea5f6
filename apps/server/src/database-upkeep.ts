import { performance } from "node:perf_hooks";
import type { EmbeddedUpkeep } from "@scriptorium/db";
import type { Logger } from "./logger";

/** How often the server looks at whether its embedded database needs upkeep. */
const UPKEEP_CHECK_MS = 2_000;
/** The event loop counts as idle below this share of busy time over the last check's interval. */
const IDLE_UTILIZATION = 0.2;

/**
 * Runs the embedded database's upkeep (statistics, dead rows: upkeep.ts in
 * @scriptorium/db) while the server is idle, one step per idle check: a
 * step is one statement, which holds the event loop for tens of
 * milliseconds on a table of ten thousand artifacts, so it waits for a
 * moment when nobody is being answered. The returned function stops it,
 * waiting for a step under way.
 */
export function keepUpWhenIdle(upkeep: EmbeddedUpkeep, log: Logger, checkMs = UPKEEP_CHECK_MS): () => Promise<void> {
  let utilization = performance.eventLoopUtilization();
  let running: Promise<void> | null = null;
  const step = async () => {
    const [next] = await upkeep.plan();
    if (!next) return;
    const started = performance.now();
    await upkeep.perform(next);
    log.debug({ table: next.table, work: next.work, duration_ms: Math.round(performance.now() - started) }, "database upkeep");
  };
  const timer = setInterval(() => {
    const interval = performance.eventLoopUtilization(utilization);
    utilization = performance.eventLoopUtilization();
    if (running || interval.utilization >= IDLE_UTILIZATION) return;
    running = step()
      .catch((error: unknown) => log.warn({ err: error }, "database upkeep failed"))
      .finally(() => {
        running = null;
      });
  }, checkMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
