import { performance } from "node:perf_hooks";
import { Agent } from "node:http";
import { computeQualityReport, OfflineWriter, type ProjectBrief, type StoryPlan, type WriterCall } from "@scriptorium/domain";
import { OWNER_KEY, sampleRss, startScriptorium, startStockAdapters, type Service } from "./processes";
import type { BenchResult } from "./report";
import { subscribe, type StreamedEvent } from "./sse";
import { SHORTCUT_MARGIN } from "./throughput";

const headers = { "x-api-key": OWNER_KEY, "content-type": "application/json" };

async function call<T>(service: Service, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${service.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface JobStatus {
  status: string;
  words: number;
  started_at: string | null;
  finished_at: string | null;
}

async function waitForEnd(service: Service, projectId: string): Promise<JobStatus> {
  for (;;) {
    const job = await call<JobStatus>(service, "GET", `/v2/projects/${projectId}/generate/status`);
    if (job.status !== "queued" && job.status !== "running") return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const BOOK = { title: "The Long Meridian", genre: "fantasy", target_words: 90_000, chapters: 30, scenes_per_chapter: 3, seed: 20_261_123 };

export interface OfflineBook {
  /** Time the writer took, all twelve stages. */
  ms: number;
  plan: StoryPlan;
  chapters: { number: number; title: string; scenes: string[] }[];
}

/** The writer's work alone, in memory: what a job costs before checkpoints, events and the database. */
export async function writeBookOffline(brief: ProjectBrief): Promise<OfflineBook> {
  const writer = new OfflineWriter();
  const call: WriterCall = { signal: new AbortController().signal, onUsage: () => undefined, remainingBudgetUsd: () => null };
  const started = performance.now();
  const highConcept = await writer.highConcept(brief, call);
  const world = await writer.worldBuilding(brief, { highConcept }, call);
  const beats = await writer.beatSheet(brief, { highConcept, world }, call);
  const cast = await writer.characters(brief, { highConcept, world, beats }, call);
  const outline = await writer.sceneOutline(brief, { highConcept, world, beats, cast }, call);
  const plan: StoryPlan = { highConcept, world, beats, cast, outline };
  const refs = outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => ({ chapter: chapter.number, chapterTitle: chapter.title, scene })));
  let texts: string[] = [];
  for (const stage of ["scene_drafting", "self_refine", "continuity_audit", "dialogue_pass", "voice_pass", "motif_infusion"] as const) {
    const next: string[] = [];
    for (const [index, ref] of refs.entries()) {
      const input = { brief, plan, ref, text: texts[index] ?? "", previousText: next[index - 1] ?? null };
      if (stage === "scene_drafting") next.push(await writer.draftScene(input, call));
      else if (stage === "continuity_audit") next.push((await writer.auditScene(input, call)).text);
      else next.push(await writer.reviseScene(stage, input, call));
    }
    texts = next;
  }
  const perChapter = brief.scenes_per_chapter;
  const chapters = outline.chapters.map((chapter, index) => ({ number: chapter.number, title: chapter.title, scenes: texts.slice(index * perChapter, (index + 1) * perChapter) }));
  computeQualityReport(brief, chapters);
  return { ms: performance.now() - started, plan, chapters };
}

/** Offline generation of a 90 000-word project through all 12 stages, against the writer's work alone. */
async function benchOfflineGeneration(): Promise<BenchResult[]> {
  const brief: ProjectBrief = { ...BOOK, author: "", synopsis: "", protagonist: "", tone: "", language: "en" };
  await writeBookOffline(brief); // warm-up
  const aloneMs = (await writeBookOffline(brief)).ms;

  const service = await startScriptorium();
  try {
    const project = await call<{ id: string }>(service, "POST", "/v2/projects", BOOK);
    const wallStart = performance.now();
    await call(service, "POST", `/v2/projects/${project.id}/generate`, {});
    const job = await waitForEnd(service, project.id);
    const wallMs = performance.now() - wallStart;
    if (job.status !== "completed") throw new Error(`generation ended ${job.status}`);
    const jobMs = Date.parse(job.finished_at ?? "") - Date.parse(job.started_at ?? "");
    const off = Math.abs(job.words - BOOK.target_words) / BOOK.target_words;
    return [
      {
        name: "offline generation, 90 000 words, 12 stages",
        value: `${(wallMs / 1000).toFixed(2)} s (job ${(jobMs / 1000).toFixed(2)} s, ${job.words.toLocaleString("en-US")} words)`,
        comparison: `writer alone in memory ${(aloneMs / 1000).toFixed(2)} s`,
        target: "≤ 10 s, words within ±10 %",
        pass: wallMs <= 10_000 && off <= 0.1,
      },
    ];
  } finally {
    await service.stop();
  }
}

const SUBSCRIBERS = 1_000;
const LIVE_BOOK = { ...BOOK, title: "Lanterns for a Thousand", target_words: 30_000, chapters: 10 };
/** Rounds alternate the two servers, so drift in the machine's speed hits both alike. */
const LIVE_ROUNDS = 3;

interface LiveRound {
  complete: number;
  events: number;
  deliveries: number;
  p50: number;
  p99: number;
  /** Server CPU from the job's start until the last subscriber had everything. */
  cpuSeconds: number;
  peakRssMiB: number;
  timedOut: boolean;
}

/** One job with 1 000 SSE subscribers (tRPC `generation.events`): every event to every subscriber, and how late. */
async function liveRound(service: Service): Promise<LiveRound> {
  const project = await call<{ id: string }>(service, "POST", "/v2/projects", LIVE_BOOK);
  const input = encodeURIComponent(JSON.stringify({ project_id: project.id }));
  const url = `${service.url}/trpc/generation.events?input=${input}`;
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const isLast = (event: StreamedEvent) => event.type === "status_update" && (event.data.status === "completed" || event.data.status === "failed");
  const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscribe(url, agent, isLast));
  await Promise.all(subscribers.map((subscriber) => subscriber.opened));
  const rss = sampleRss(service);
  const cpuBefore = service.cpuSeconds();
  await call(service, "POST", `/v2/projects/${project.id}/generate`, {});
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 180_000).unref());
  const finished = await Promise.race([Promise.all(subscribers.map((subscriber) => subscriber.done)), timeout]);
  const cpuSeconds = service.cpuSeconds() - cpuBefore;
  const peakRssMiB = rss.stop();
  for (const subscriber of subscribers) subscriber.close();
  agent.destroy();

  const log = await call<{ items: { id: number }[]; last_event_id: number }>(service, "GET", `/v2/projects/${project.id}/generate/events?limit=1000`);
  const expected = log.items.map((event) => event.id);
  const complete = subscribers.filter((subscriber) => subscriber.ids.length === expected.length && subscriber.ids.every((id, index) => id === expected[index])).length;
  const delays = subscribers.flatMap((subscriber) => subscriber.delays).sort((a, b) => a - b);
  return {
    complete,
    events: expected.length,
    deliveries: delays.length,
    p50: delays[Math.floor(delays.length / 2)] ?? Number.NaN,
    p99: delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))] ?? Number.NaN,
    cpuSeconds,
    peakRssMiB,
    timedOut: finished === "timeout",
  };
}

function medianOf(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** Each round of one server: "p99 47 / 52 / 44 ms, CPU 3.1 / 3.0 / 3.2 s". */
function describeRounds(rounds: LiveRound[]): string {
  return `p99 ${rounds.map((round) => round.p99).join(" / ")} ms, p50 ${rounds.map((round) => round.p50).join(" / ")} ms, server CPU ${rounds.map((round) => round.cpuSeconds.toFixed(2)).join(" / ")} s, peak RSS ${rounds.map((round) => round.peakRssMiB.toFixed(0)).join(" / ")} MiB`;
}

/**
 * 1 000 SSE subscribers on one running job, served by Scriptorium and, in
 * the same run, by tRPC's stock createHTTPHandler over the same services.
 */
async function benchLiveEvents(): Promise<BenchResult[]> {
  const server = await startScriptorium();
  const stock = await startStockAdapters();
  try {
    const ours: LiveRound[] = [];
    const stocks: LiveRound[] = [];
    for (let round = 0; round < LIVE_ROUNDS; round += 1) {
      ours.push(await liveRound(server));
      stocks.push(await liveRound(stock));
    }
    const allDelivered = (rounds: LiveRound[]) => rounds.every((round) => !round.timedOut && round.complete === SUBSCRIBERS);
    const p99 = medianOf(ours.map((round) => round.p99));
    const delayRatios = stocks.map((round, index) => round.p99 / (ours[index]?.p99 ?? Number.NaN));
    const cpuRatios = stocks.map((round, index) => round.cpuSeconds / (ours[index]?.cpuSeconds ?? Number.NaN));
    const times = (ratios: number[]) => ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(" / ");
    const summary = (rounds: LiveRound[]) =>
      `${rounds.map((round) => round.complete).join(" / ")} of ${SUBSCRIBERS} got all ${rounds.map((round) => round.events).join(" / ")} events${rounds.some((round) => round.timedOut) ? "; TIMED OUT" : ""}`;
    return [
      {
        name: `live events, ${SUBSCRIBERS} SSE subscribers, one job`,
        value: `${summary(ours)}; p99 ${p99} ms (median of ${LIVE_ROUNDS} rounds)`,
        comparison: describeRounds(ours),
        target: "every event to every subscriber, p99 ≤ 250 ms",
        pass: allDelivered(ours) && p99 <= 250,
      },
      {
        name: `live events, ${SUBSCRIBERS} subscribers, stock createHTTPHandler`,
        value: `${summary(stocks)}; ${describeRounds(stocks)}`,
        comparison: `stock ÷ Scriptorium per round: p99 ${times(delayRatios)}, CPU ${times(cpuRatios)}`,
        target: `stock ≥ ${SHORTCUT_MARGIN}× in p99 and CPU in every round`,
        pass: [...delayRatios, ...cpuRatios].every((ratio) => ratio >= SHORTCUT_MARGIN),
      },
    ];
  } finally {
    await Promise.all([server.stop(), stock.stop()]);
  }
}

export async function benchGeneration(): Promise<BenchResult[]> {
  return [...(await benchOfflineGeneration()), ...(await benchLiveEvents())];
}
