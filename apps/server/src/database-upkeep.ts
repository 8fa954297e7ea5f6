import { performance } from "node:perf_hooks";
import type { EmbeddedUpkeep } from "@scriptorium/db";
import { yieldToEventLoop } from "@scriptorium/domain";
import { idleSinceLastCheck } from "./event-loop-idle";
import type { Logger } from "./logger";

/** How often the server looks at whether its embedded database needs upkeep. */
const UPKEEP_CHECK_MS = 2_000;
/** An idle check goes on to the next step until its steps have taken this long. */
const UPKEEP_BUDGET_MS = 20;

/**
 * Runs the embedded database's upkeep (statistics, dead rows: upkeep.ts in
 * @scriptorium/db) while the server is idle. A step is one statement, which
 * holds the event loop: a few milliseconds on a small table, tens on ten
 * thousand artifacts. So an idle check runs steps, with a turn of the loop
 * between them, until they have taken 20 ms, and leaves the rest to the
 * next one: a new database's twenty small tables are analyzed at once, a
 * large table alone. The returned function stops it, waiting for a step
 * under way.
 */
export function keepUpWhenIdle(upkeep: EmbeddedUpkeep, log: Logger, checkMs = UPKEEP_CHECK_MS): () => Promise<void> {
  const wasIdle = idleSinceLastCheck();
  let running: Promise<void> | null = null;
  let stopped = false;
  const steps = async () => {
    const started = performance.now();
    for (const step of await upkeep.plan()) {
      const stepStarted = performance.now();
      await upkeep.perform(step);
      log.debug({ table: step.table, work: step.work, duration_ms: Math.round(performance.now() - stepStarted) }, "database upkeep");
      if (stopped || performance.now() - started >= UPKEEP_BUDGET_MS) return;
      await yieldToEventLoop();
    }
  };
  const timer = setInterval(() => {
    // Asked every time, so that each answer covers one interval.
    const idle = wasIdle();
    if (running || !idle) return;
    running = steps()
      .catch((error: unknown) => log.warn({ err: error }, "database upkeep failed"))
      .finally(() => {
        running = null;
      });
  }, checkMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
