import { performance } from "node:perf_hooks";
import { Agent } from "node:http";
import { computeQualityReport, OfflineWriter, type ProjectBrief, type StoryPlan, type WriterCall } from "@scriptorium/domain";
import { OWNER_KEY, sampleRss, startScriptorium, type Service } from "./processes";
import type { BenchResult } from "./report";
import { subscribe, type StreamedEvent } from "./sse";

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
  return { ms: performance.now() - started, chapters };
}

/** Offline generation of a 90 000-word project through all 12 stages, against the writer's work alone. */
async function benchOfflineGeneration(): Promise<BenchResult[]> {
  const brief: ProjectBrief = { ...BOOK, author: "", synopsis: "", protagonist: "", tone: "" };
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

/** 1 000 SSE subscribers (tRPC `generation.events`) on one running job: every event to every subscriber, and how late. */
async function benchLiveEvents(): Promise<BenchResult[]> {
  const service = await startScriptorium();
  try {
    const project = await call<{ id: string }>(service, "POST", "/v2/projects", LIVE_BOOK);
    const input = encodeURIComponent(JSON.stringify({ project_id: project.id }));
    const url = `${service.url}/trpc/generation.events?input=${input}`;
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    const isLast = (event: StreamedEvent) => event.type === "status_update" && (event.data.status === "completed" || event.data.status === "failed");
    const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscribe(url, agent, isLast));
    const opened = subscribers.map((subscriber) => subscriber.opened);
    await Promise.all(opened);
    const rss = sampleRss(service);
    await call(service, "POST", `/v2/projects/${project.id}/generate`, {});
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 180_000).unref());
    const finished = await Promise.race([Promise.all(subscribers.map((subscriber) => subscriber.done)), timeout]);
    const peakRss = rss.stop();
    for (const subscriber of subscribers) subscriber.close();
    agent.destroy();

    const log = await call<{ items: { id: number }[]; last_event_id: number }>(service, "GET", `/v2/projects/${project.id}/generate/events?limit=1000`);
    const expected = log.items.map((event) => event.id);
    const complete = subscribers.filter((subscriber) => subscriber.ids.length === expected.length && subscriber.ids.every((id, index) => id === expected[index])).length;
    const delays = subscribers.flatMap((subscriber) => subscriber.delays).sort((a, b) => a - b);
    const p99 = delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))] ?? Number.NaN;
    const p50 = delays[Math.floor(delays.length / 2)] ?? Number.NaN;
    return [
      {
        name: `live events, ${SUBSCRIBERS} SSE subscribers, one job`,
        value: `${complete}/${SUBSCRIBERS} got all ${expected.length} events; p99 ${p99} ms`,
        comparison: `p50 ${p50} ms; ${delays.length.toLocaleString("en-US")} deliveries; server peak RSS ${peakRss.toFixed(0)} MiB${finished === "timeout" ? "; TIMED OUT" : ""}`,
        target: "every event to every subscriber, p99 ≤ 250 ms",
        pass: finished !== "timeout" && complete === SUBSCRIBERS && p99 <= 250,
      },
    ];
  } finally {
    await service.stop();
  }
}

export async function benchGeneration(): Promise<BenchResult[]> {
  return [...(await benchOfflineGeneration()), ...(await benchLiveEvents())];
}
