import { performance } from "node:perf_hooks";

/** The event loop counts as idle below this share of busy time over an interval. */
const IDLE_UTILIZATION = 0.2;

/**
 * A check, to call at a regular interval, of whether the event loop was idle
 * since the previous call: the server's work for quiet moments (collecting
 * garbage, the embedded database's upkeep) waits for one.
 */
export function idleSinceLastCheck(): () => boolean {
  let utilization = performance.eventLoopUtilization();
  return () => {
    const interval = performance.eventLoopUtilization(utilization);
    utilization = performance.eventLoopUtilization();
    return interval.utilization < IDLE_UTILIZATION;
  };
}
