import { runMixedLoad } from "./mixed-load";
import { startScriptorium } from "./processes";
import type { BenchResult } from "./report";

const CONNECTIONS = 200;
const PHASES = 4;
const PHASE_SECONDS = 15;

/** How much RSS may still rise after the first phase for memory to count as level. */
const RSS_GROWTH_ALLOWED = 0.1;

/** §7 hardening: 60 s of mixed reads, refreshes and generation starts at 200 connections. */
export async function benchLoad(): Promise<BenchResult[]> {
  const service = await startScriptorium();
  try {
    const outcome = await runMixedLoad(service, { connections: CONNECTIONS, phases: PHASES, phaseSeconds: PHASE_SECONDS, collections: 4, artifactsPerCollection: 200, projects: 8 });
    const [first = Number.NaN, ...later] = outcome.rss.phases;
    const growth = (Math.max(...later, first) - first) / first;
    const { events } = outcome;
    const statuses = Object.entries(outcome.statuses)
      .map(([code, count]) => `${code}×${count}`)
      .join(" ");
    return [
      {
        name: `mixed load, ${CONNECTIONS} connections, ${PHASES * PHASE_SECONDS} s (reads, refreshes, generation starts)`,
        value: `${outcome.serverErrors} 5xx, ${outcome.transportErrors} errors, ${outcome.timeouts} timeouts in ${outcome.requests} requests`,
        comparison: `${Math.round(outcome.requestsPerSecond)} req/s, p99 ${outcome.p99Ms} ms; ${statuses}; ${outcome.jobsCompleted} jobs completed`,
        target: "zero 5xx and transport errors",
        pass: outcome.serverErrors === 0 && outcome.transportErrors === 0 && outcome.timeouts === 0 && outcome.requests > 0,
      },
      {
        name: "events during that load, SSE follower per project",
        value: `${events.received}/${events.expected} received; ${events.missing} missing, ${events.duplicated} duplicated, ${events.outOfOrder} out of order`,
        comparison: "the persisted event log, read after the load",
        target: "every event exactly once, in order",
        pass: events.expected > 0 && events.missing === 0 && events.duplicated === 0 && events.outOfOrder === 0,
      },
      {
        name: "server RSS across that load",
        value: `${outcome.rss.phases.map((mib) => Math.round(mib)).join(" → ")} MiB at each phase's end; ${Math.round(outcome.rss.settled)} MiB 5 s after`,
        comparison: `${Math.round(outcome.rss.before)} MiB before the load; +${(growth * 100).toFixed(1)} % after the first phase`,
        target: `level: ≤ +${RSS_GROWTH_ALLOWED * 100} % after the first phase`,
        pass: growth <= RSS_GROWTH_ALLOWED && outcome.rss.settled <= Math.max(...outcome.rss.phases) * (1 + RSS_GROWTH_ALLOWED),
      },
    ];
  } finally {
    await service.stop();
  }
}
