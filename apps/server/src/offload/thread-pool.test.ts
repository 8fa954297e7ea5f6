import { isMainThread } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { EXPORT_FORMATS } from "@scriptorium/contract";
import { INLINE_OFFLOAD, OfflineWriter, OffloadedOfflineWriter, type OffloadTask } from "@scriptorium/domain";
import { briefFor, CALL, planFor, sampleBook, sceneRefs } from "@scriptorium/domain/testing";
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
    const brief = briefFor({ title: "Threads", genre: "mystery", target_words: 3_000, chapters: 2, scenes_per_chapter: 2, seed: 11 });
    const plan = await planFor(brief);
    const inline = new OfflineWriter();
    const tasks: OffloadTask[] = [];
    const writer = new OffloadedOfflineWriter({ run: (task) => (tasks.push(task), pool.run(task)) });
    const refs = sceneRefs(plan);
    for (const ref of refs) {
      const input = { brief, plan, ref, text: "", previousText: null };
      expect(await writer.draftScene(input, CALL)).toBe(await inline.draftScene(input, CALL));
    }
    const withPlan = tasks.filter((task) => task.kind === "offline-write" && task.plan?.value !== undefined);
    // Once, and again only for a thread that had not seen it yet (there are two).
    expect(withPlan.length).toBeGreaterThanOrEqual(1);
    expect(withPlan.length).toBeLessThanOrEqual(2);
    expect(tasks.length - withPlan.length).toBeGreaterThanOrEqual(refs.length - 1);
  });
});
