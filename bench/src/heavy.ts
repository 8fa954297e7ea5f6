import { performance } from "node:perf_hooks";
import { percentile, probe } from "./probe";
import { OWNER_KEY, sampleRss, startScriptorium, type Service } from "./processes";
import type { BenchResult } from "./report";

const headers = { "x-api-key": OWNER_KEY, "content-type": "application/json" };

async function call<T>(service: Service, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${service.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

async function waitForCompletion(service: Service, projectId: string): Promise<void> {
  for (;;) {
    const job = await call<{ status: string; error: string | null }>(service, "GET", `/v2/projects/${projectId}/generate/status`);
    if (job.status === "completed") return;
    if (job.status !== "queued" && job.status !== "running") throw new Error(`generation ${job.status}: ${job.error}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const BIG_BOOK = { title: "The Half-Million", genre: "fantasy", target_words: 500_000, chapters: 160, scenes_per_chapter: 4, seed: 500_000 };
const BOOK = { genre: "mystery", target_words: 90_000, chapters: 30, scenes_per_chapter: 3 };
/** The client's pause between two requests. */
const GAP_MS = 20;

/**
 * Heavy work off the request path (scale.md §11.4), on the built server
 * with the embedded database and its default workers: a small query's
 * latency alone, then while a 500 000-word book's PDF and DOCX build and
 * two 90 000-word books generate; and the server's memory through writing,
 * exporting and reading that big book.
 */
export async function benchHeavyWork(): Promise<BenchResult[]> {
  const service = await startScriptorium();
  try {
    let rss = sampleRss(service);
    const big = await call<{ id: string }>(service, "POST", "/v2/projects", BIG_BOOK);
    const generationStarted = performance.now();
    await call(service, "POST", `/v2/projects/${big.id}/generate`, {});
    await waitForCompletion(service, big.id);
    const generationMs = performance.now() - generationStarted;
    const generationRss = rss.stop();

    const idleStop = new Promise((resolve) => setTimeout(resolve, 5_000));
    const idle = await probe(service, idleStop, GAP_MS);

    rss = sampleRss(service);
    const books = await Promise.all([1, 2].map((index) => call<{ id: string }>(service, "POST", "/v2/projects", { ...BOOK, title: `Side Book ${index}`, seed: index })));
    const busyStarted = performance.now();
    const work = Promise.all([
      call(service, "POST", `/v2/projects/${big.id}/export`, { formats: ["pdf", "docx"] }),
      ...books.map(async (book) => {
        await call(service, "POST", `/v2/projects/${book.id}/generate`, {});
        await waitForCompletion(service, book.id);
      }),
    ]);
    const busy = await probe(service, work, GAP_MS);
    await work;
    const busyMs = performance.now() - busyStarted;
    const busyRss = rss.stop();
    rss = sampleRss(service);

    const exportStarted = performance.now();
    await call(service, "POST", `/v2/projects/${big.id}/export`, { formats: ["epub", "md", "txt"] });
    const otherFormatsMs = performance.now() - exportStarted;
    const readStarted = performance.now();
    for (let from = 1; from <= BIG_BOOK.chapters; from += 20) {
      await call(service, "GET", `/v2/projects/${big.id}/manuscript?chapter_from=${from}&chapter_to=${from + 19}`);
    }
    const whole = await call<{ words: number }>(service, "GET", `/v2/projects/${big.id}/manuscript`);
    const readMs = performance.now() - readStarted;
    const readRss = rss.stop();
    const peakRss = Math.max(generationRss, busyRss, readRss);

    const idleP99 = percentile(idle, 0.99);
    const busyP99 = percentile(busy, 0.99);
    return [
      {
        name: "small query while a 500 000-word PDF and DOCX build and two 90 000-word books generate",
        value: `p99 ${busyP99.toFixed(1)} ms, p50 ${percentile(busy, 0.5).toFixed(1)} ms, max ${(busy.at(-1) ?? 0).toFixed(0)} ms (${busy.length} requests over ${(busyMs / 1000).toFixed(1)} s)`,
        comparison: `idle, same run: p99 ${idleP99.toFixed(1)} ms, p50 ${percentile(idle, 0.5).toFixed(1)} ms (${idle.length} requests); one client, ${GAP_MS} ms between requests`,
        target: "p99 ≤ 50 ms",
        pass: busyP99 <= 50,
      },
      {
        name: "500 000-word project: generate, export every format, read the manuscript",
        value: `peak RSS ${Math.round(peakRss)} MiB (writing ${Math.round(generationRss)}, PDF and DOCX with two more books ${Math.round(busyRss)}, other formats and reading ${Math.round(readRss)}); ${whole.words.toLocaleString("en")} words`,
        comparison: `generation ${(generationMs / 1000).toFixed(1)} s; EPUB, Markdown and text ${(otherFormatsMs / 1000).toFixed(1)} s after PDF and DOCX; manuscript in 8 chapter ranges and whole ${(readMs / 1000).toFixed(1)} s`,
        target: "server ≤ 600 MB RSS",
        pass: peakRss <= 600 / 1.048_576,
      },
    ];
  } finally {
    await service.stop();
  }
}
