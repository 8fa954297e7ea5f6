import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { EXPORT_FORMATS } from "@scriptorium/contract";
import { INLINE_OFFLOAD, OfflineWriter, OffloadedOfflineWriter, type OffloadTask } from "@scriptorium/domain";
import type { LocalMetadataResult } from "@scriptorium/domain/local-metadata";
import { briefFor, CALL, planFor, sampleBook, sceneRefs, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { REFRESH_THREAD_MIN_ARTIFACTS, ThreadPoolOffload } from "./thread-pool";

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

  it("reads a manuscript's quality report in a worker thread, as inline", async () => {
    const book = sampleBook({ words: 6_000, chapters: 3 });
    const chapters = book.chapters.map((chapter) => ({ number: chapter.number, title: chapter.title, scenes: chapter.scenes.map((paragraphs) => paragraphs.join("\n\n")) }));
    const task: OffloadTask = { kind: "quality-report", brief: briefFor({ target_words: 6_000, chapters: 3 }), chapters };
    const [threaded, inline] = await Promise.all([pool.run(task), INLINE_OFFLOAD.run(task)]);
    expect(threaded).toEqual(inline);
    expect(threaded).toMatchObject({ total_words: expect.any(Number) });
    expect((threaded as { total_words: number }).total_words).toBeGreaterThan(5_000);
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

describe("a large metadata refresh's reading on the refresh thread", () => {
  const pool = new ThreadPoolOffload(1);
  const root = tempDir("refresh-thread");
  afterAll(async () => {
    await pool.close();
    rmSync(root, { recursive: true, force: true });
  });

  writeFiles(root, {
    "skills/plain/SKILL.md": skillFile({ name: "Plain", description: "A plain skill.", tags: ["a", "b"] }),
    "commands/single.md": skillFile({ description: "One file." }),
    "skills/bad-yaml/SKILL.md": "---\nname: [unclosed\n---\nBody.\n",
    "skills/no-main/notes.txt": "No main file here.",
    "elsewhere/SKILL.md": skillFile({ name: "Elsewhere" }),
  });
  mkdirSync(join(root, "skills/linked"));
  symlinkSync(join(root, "elsewhere/SKILL.md"), join(root, "skills/linked/SKILL.md"));
  symlinkSync(join(root, "elsewhere"), join(root, "skills/linked-folder"));
  const bounds = { dataDir: [join(root, "data")], roots: null };
  const items = [
    { source: { kind: "local" as const, path: join(root, "skills/plain") }, type: "skill" as const },
    { source: { kind: "local" as const, path: join(root, "commands/single.md") }, type: "command" as const },
    { source: { kind: "local" as const, path: join(root, "skills/bad-yaml") }, type: "skill" as const },
    { source: { kind: "local" as const, path: join(root, "skills/no-main") }, type: "skill" as const },
    { source: { kind: "local" as const, path: join(root, "skills/gone") }, type: "skill" as const },
    { source: { kind: "local" as const, path: join(root, "skills/linked") }, type: "skill" as const },
    { source: { kind: "local" as const, path: join(root, "skills/linked-folder") }, type: "skill" as const },
    { source: { kind: "local" as const, path: join(root, "data/skills/inside") }, type: "skill" as const },
  ];
  const withoutTimes = (results: unknown) => (results as LocalMetadataResult[]).map(({ ms, ...result }) => (expect(ms).toBeGreaterThanOrEqual(0), result));

  it("reads and parses a large refresh's batch on the thread, with the answers inline reading gives", async () => {
    const task: OffloadTask = { kind: "local-metadata", bounds, items, refreshSize: REFRESH_THREAD_MIN_ARTIFACTS };
    const before = pool.refreshBatches;
    const threaded = withoutTimes(await pool.run(task));
    expect(pool.refreshBatches).toBe(before + 1);
    expect(threaded).toEqual(withoutTimes(await INLINE_OFFLOAD.run(task)));
    expect(threaded).toEqual([
      { metadata: { title: "Plain", description: "A plain skill.", tags: ["a", "b"] } },
      { metadata: { description: "One file." } },
      { error: expect.stringMatching(/^Front matter is not valid YAML: /) },
      { error: "Upstream has no main file to read metadata from." },
      { missing: true },
      // A main file that is a symlink is never read: the folder has no main file.
      { error: "Upstream has no main file to read metadata from." },
      { error: `${join(root, "skills/linked-folder")} is a symlink, and symlinks are never followed: add the folder or file it points to.` },
      { error: expect.stringContaining("lies inside Scriptorium's data directory") },
    ]);
  });

  it("reads a small refresh's batch inline, without starting the thread", async () => {
    const before = pool.refreshBatches;
    const inline = await pool.run({ kind: "local-metadata", bounds, items: items.slice(0, 2), refreshSize: REFRESH_THREAD_MIN_ARTIFACTS - 1 });
    expect(pool.refreshBatches).toBe(before);
    expect(withoutTimes(inline)).toEqual([{ metadata: { title: "Plain", description: "A plain skill.", tags: ["a", "b"] } }, { metadata: { description: "One file." } }]);
  });
});
