import { isMainThread } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { EXPORT_FORMATS } from "@scriptorium/contract";
import { INLINE_OFFLOAD, OfflineWriter, OffloadedOfflineWriter, type OffloadTask, type StoryPlan, type WriterCall } from "@scriptorium/domain";
import { sampleBook } from "@scriptorium/domain/testing";
import { ThreadPoolOffload } from "./thread-pool";

describe("the offload thread pool", () => {
  const pool = new ThreadPoolOffload(2);
  afterAll(() => pool.close());

  it("builds every export format in a worker thread, byte for byte as inline", async () => {
    expect(isMainThread).toBe(true);
    const book = sampleBook({ words: 4_000, chapters: 3 });
    for (const format of EXPORT_FORMATS) {
      const task: OffloadTask = { kind: "export", format, book };
      const [threaded, inline] = await Promise.all([pool.run(task), INLINE_OFFLOAD.run(task)]);
      expect(Buffer.from(threaded as Uint8Array).equals(Buffer.from(inline as Uint8Array)), format).toBe(true);
    }
  });

  it("runs the offline writer's calls in a worker thread with the same results", async () => {
    const brief = { title: "Threads", author: "", genre: "mystery", synopsis: "", protagonist: "", tone: "", target_words: 3_000, chapters: 2, scenes_per_chapter: 2, seed: 11 };
    const task: OffloadTask = { kind: "offline-write", method: "highConcept", args: [brief] };
    expect(await pool.run(task)).toEqual(await INLINE_OFFLOAD.run(task));
  });

  it("passes a failing task's error back to the caller", async () => {
    await expect(pool.run({ kind: "export", format: "rtf" as never, book: sampleBook() })).rejects.toThrow(/No exporter for rtf/);
  });
});

describe("the offline writer on the thread pool", () => {
  const pool = new ThreadPoolOffload(2);
  afterAll(() => pool.close());

  it("writes the same scenes as inline, sending each stage's plan to a thread once", async () => {
    const call: WriterCall = { signal: new AbortController().signal, onUsage: () => undefined, remainingBudgetUsd: () => null };
    const brief = { title: "Threads", author: "", genre: "mystery", synopsis: "", protagonist: "", tone: "", target_words: 3_000, chapters: 2, scenes_per_chapter: 2, seed: 11 };
    const inline = new OfflineWriter();
    const highConcept = await inline.highConcept(brief, call);
    const world = await inline.worldBuilding(brief, { highConcept }, call);
    const beats = await inline.beatSheet(brief, { highConcept, world }, call);
    const cast = await inline.characters(brief, { highConcept, world, beats }, call);
    const outline = await inline.sceneOutline(brief, { highConcept, world, beats, cast }, call);
    const plan: StoryPlan = { highConcept, world, beats, cast, outline };
    const tasks: OffloadTask[] = [];
    const writer = new OffloadedOfflineWriter({ run: (task) => (tasks.push(task), pool.run(task)) });
    for (const chapter of outline.chapters) {
      for (const scene of chapter.scenes) {
        const input = { brief, plan, ref: { chapter: chapter.number, chapterTitle: chapter.title, scene }, text: "", previousText: null };
        expect(await writer.draftScene(input, call)).toBe(await inline.draftScene(input, call));
      }
    }
    const withPlan = tasks.filter((task) => task.kind === "offline-write" && task.plan?.value !== undefined);
    // Once, and again only for a thread that had not seen it yet (there are two).
    expect(withPlan.length).toBeGreaterThanOrEqual(1);
    expect(withPlan.length).toBeLessThanOrEqual(2);
    expect(tasks.length - withPlan.length).toBeGreaterThanOrEqual(outline.chapters.flatMap((chapter) => chapter.scenes).length - 1);
  });
});
