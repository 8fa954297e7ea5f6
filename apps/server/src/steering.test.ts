import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { ChatCompletionsServer, completion, HIGH_CONCEPT } from "@scriptorium/domain/testing";
import { callApi, startTestServer, type RunningTestServer } from "./testing/test-server";

type JobStatus = RouterOutputs["generation"]["status"];
type Manuscript = RouterOutputs["generation"]["manuscript"];
type Project = RouterOutputs["projects"]["get"];
type StageOutput = RouterOutputs["generation"]["stage"];
type StageVersions = RouterOutputs["generation"]["stageVersions"];
type StageVersion = RouterOutputs["generation"]["stageVersion"];
type SceneEdit = RouterOutputs["generation"]["editScene"];
type SceneVersions = RouterOutputs["generation"]["sceneVersions"];
type GenerationEvent = RouterOutputs["generation"]["eventLog"]["items"][number];
type ErrorBody = { code: string; message: string; fields?: { path: string; message: string }[] };

interface CastMember {
  name: string;
  relationships: { with: string; kind: string }[];
}
interface ScenePlan {
  number: number;
  pov: string;
  target_words: number;
}
interface Outline {
  chapters: { number: number; title: string; scenes: ScenePlan[] }[];
}

/** Twelve scenes: small enough to write in a moment, large enough to have chapters to leave alone. */
const BOOK = { title: "The Salt Archive", genre: "mystery", target_words: 6_000, chapters: 4, scenes_per_chapter: 3, seed: 4242 };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const mentions = (text: string, word: string) => new RegExp(`(?<![\\p{L}])${escapeRegExp(word)}(?![\\p{L}])`, "u").test(text);
const textOf = (manuscript: Manuscript) => manuscript.chapters.flatMap((chapter) => chapter.scenes.map((scene) => scene.text)).join("\n\n");
const sceneText = (manuscript: Manuscript, chapter: number, scene: number) => manuscript.chapters.find((entry) => entry.number === chapter)?.scenes.find((entry) => entry.number === scene)?.text;

describe("steering a book: edits, versions, pins and rewrites", () => {
  let server: RunningTestServer;
  let llm: ChatCompletionsServer;
  let llmUrl: string;

  const api = <T = unknown>(method: string, path: string, body?: unknown) => callApi<T>(server, method, path, body);
  const ok = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await api<T>(method, path, body);
    if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const status = (projectId: string) => ok<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`);
  const waitFor = async (projectId: string, done: (job: JobStatus) => boolean, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await status(projectId);
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status} at stage ${job.current_stage?.number}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const finished = (projectId: string) => waitFor(projectId, (job) => job.status === "completed" || job.status === "failed" || job.status === "cancelled");
  const manuscriptOf = (projectId: string) => ok<Manuscript>("GET", `/v2/projects/${projectId}/manuscript`);
  const stageOf = (projectId: string, stage: number) => ok<StageOutput>("GET", `/v2/projects/${projectId}/generate/stages/${stage}`);
  const eventsAfter = async (projectId: string, after: number) => (await ok<{ items: GenerationEvent[] }>("GET", `/v2/projects/${projectId}/generate/events?after=${after}`)).items;
  const stagesStarted = (events: GenerationEvent[]) => events.filter((event) => event.type === "stage_started").map((event) => (event.data as { stage: number }).stage);
  const generate = async (fields: Record<string, unknown> = BOOK) => {
    const project = await ok<Project>("POST", "/v2/projects", fields);
    await ok("POST", `/v2/projects/${project.id}/generate`, {});
    expect((await finished(project.id)).status).toBe("completed");
    return project;
  };
  /** Starts a job and waits for it to end; returns it with the events it wrote. */
  const runJob = async (projectId: string, method: string, path: string, body: unknown = {}) => {
    const latest = await api<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`);
    const before = latest.status === 200 ? latest.body.last_event_id : 0;
    const queued = await ok<JobStatus>(method, path, body);
    const job = await finished(projectId);
    expect(job.job_id).toBe(queued.job_id);
    expect(job.status, job.error ?? "").toBe("completed");
    return { queued, job, events: (await eventsAfter(projectId, before)).filter((event) => event.job_id === job.job_id) };
  };

  beforeAll(async () => {
    llm = new ChatCompletionsServer();
    llmUrl = await llm.start();
    server = await startTestServer("pglite", { llm: { openaiApiKey: undefined, anthropicApiKey: undefined, llmBaseUrl: llmUrl, llmApiKey: undefined } });
  });
  afterAll(async () => {
    await server.stop();
    await llm.stop();
  });

  it("stores an edited planning stage as a new version; a renamed character reaches the regenerated outline and prose, and only the stale stages run", async () => {
    const project = await generate();
    const before = await manuscriptOf(project.id);
    const cast = await stageOf(project.id, 4);
    expect(cast).toMatchObject({ version: 1, edited: false, edited_at: null });
    const original = cast.output as { cast: CastMember[] };
    const renamed = original.cast[1];
    if (!renamed) throw new Error("the cast has one member");
    const oldFirst = renamed.name.split(" ")[0] ?? renamed.name;
    expect(mentions(textOf(before), oldFirst)).toBe(true);

    const newName = "Wilhelmina Quarrender";
    const document = {
      cast: original.cast.map((member) => ({
        ...member,
        name: member.name === renamed.name ? newName : member.name,
        relationships: member.relationships.map((tie) => (tie.with === renamed.name ? { ...tie, with: newName } : tie)),
      })),
    };
    const edited = await api<StageOutput>("PUT", `/v2/projects/${project.id}/generate/stages/4/output`, document);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ number: 4, status: "completed", version: 2, edited: true, output: document });
    expect(Date.parse(edited.body.edited_at ?? "")).toBeGreaterThan(0);

    const stale = await status(project.id);
    expect(stale.stages.map((stage) => stage.status)).toEqual([...Array(4).fill("completed"), ...Array(8).fill("stale")]);
    const versions = await ok<StageVersions>("GET", `/v2/projects/${project.id}/generate/stages/4/versions`);
    expect(versions.items.map((version) => [version.version, version.edited, version.current])).toEqual([
      [2, true, true],
      [1, false, false],
    ]);
    const first = await ok<StageVersion>("GET", `/v2/projects/${project.id}/generate/stages/4/versions/1`);
    expect(first).toMatchObject({ version: 1, stage: 4, stage_key: "characters", edited: false, output: original });
    expect((await api("GET", `/v2/projects/${project.id}/generate/stages/4/versions/3`)).status).toBe(404);

    const { events } = await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`);
    expect(stagesStarted(events)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    const outline = await stageOf(project.id, 5);
    expect(outline).toMatchObject({ version: 2, edited: false });
    const outlineText = JSON.stringify(outline.output);
    const after = textOf(await manuscriptOf(project.id));
    for (const text of [outlineText, after]) {
      expect(mentions(text, "Wilhelmina")).toBe(true);
      expect(mentions(text, oldFirst)).toBe(false);
    }
    expect((await stageOf(project.id, 4)).output).toEqual(document);
  });

  it("counts an edited stage as completed even if it never ran: the first start builds on it", async () => {
    const project = await ok<Project>("POST", "/v2/projects", { ...BOOK, title: "Tide Tables" });
    const edited = await ok<StageOutput>("PUT", `/v2/projects/${project.id}/generate/stages/1/output`, HIGH_CONCEPT);
    expect(edited).toMatchObject({ status: "completed", version: 1, edited: true, started_at: null, output: HIGH_CONCEPT });
    const { events } = await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`);
    expect(stagesStarted(events)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await stageOf(project.id, 1)).output).toEqual(HIGH_CONCEPT);
    const book = textOf(await manuscriptOf(project.id));
    expect(HIGH_CONCEPT.motifs.some((motif) => book.includes(motif))).toBe(true);
  });

  it("refuses a document of another stage, and stages without versions, with 422 naming the fields", async () => {
    const project = await generate();
    const cast = (await stageOf(project.id, 4)).output;
    const wrongStage = await api<ErrorBody>("PUT", `/v2/projects/${project.id}/generate/stages/5/output`, cast);
    expect(wrongStage.status).toBe(422);
    expect(wrongStage.body.fields?.map((field) => field.path)).toEqual(expect.arrayContaining(["chapters", "cast"]));
    const badType = await api<ErrorBody>("PUT", `/v2/projects/${project.id}/generate/stages/1/output`, { logline: 7 });
    expect(badType.status).toBe(422);
    expect(badType.body.fields?.map((field) => field.path)).toContain("logline");
    const outline = (await stageOf(project.id, 5)).output as Outline;
    const misnumbered = structuredClone(outline);
    const chapter = misnumbered.chapters[1];
    if (chapter) chapter.number = 7;
    const numbering = await api<ErrorBody>("PUT", `/v2/projects/${project.id}/generate/stages/5/output`, misnumbered);
    expect(numbering.status).toBe(422);
    expect(numbering.body.fields?.map((field) => field.path)).toEqual(["chapters.1.number"]);
    const sceneStage = await api<ErrorBody>("GET", `/v2/projects/${project.id}/generate/stages/7/versions`);
    expect(sceneStage.status).toBe(422);
    expect(sceneStage.body.fields?.map((field) => field.path)).toEqual(["stage_number"]);
    // Nothing changed.
    expect((await stageOf(project.id, 5)).version).toBe(1);
    expect((await status(project.id)).stages.every((stage) => stage.status === "completed")).toBe(true);
  });

  it("reshapes the book when an edited outline changes its chapters and scenes, and drops pins on scenes it no longer has", async () => {
    const project = await generate();
    const kept = await ok<SceneEdit>("PUT", `/v2/projects/${project.id}/manuscript/chapters/1/scenes/1`, { text: "The harbour was quiet.\n\nNobody came." });
    await ok("PUT", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/3`, { text: "A scene the outline will drop." });

    const outline = (await stageOf(project.id, 5)).output as Outline;
    const [one, two, three, four] = outline.chapters;
    if (!one || !two || !three || !four) throw new Error("the outline has four chapters");
    const longScene = { ...(two.scenes[0] as ScenePlan), target_words: 900 };
    const reshaped: Outline = {
      chapters: [
        one,
        { ...two, scenes: [longScene, two.scenes[1] as ScenePlan] },
        three,
        four,
        { number: 5, title: "The Last Tide", scenes: four.scenes.slice(0, 2).map((scene, index) => ({ ...scene, number: index + 1 })) },
      ],
    };
    const edited = await api<StageOutput>("PUT", `/v2/projects/${project.id}/generate/stages/5/output`, reshaped);
    expect(edited.status).toBe(200);
    expect(await ok<Project>("GET", `/v2/projects/${project.id}`)).toMatchObject({ chapters: 5, scenes_per_chapter: null });
    // The dropped scene's texts stay in its versions; its pin is gone.
    const dropped = await ok<SceneVersions>("GET", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/3/versions`);
    expect(dropped.items[0]).toMatchObject({ source: "edit", text: "A scene the outline will drop.", pinned: false });

    await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`);
    const manuscript = await manuscriptOf(project.id);
    expect(manuscript.chapters.map((chapter) => chapter.scenes.length)).toEqual([3, 2, 3, 3, 2]);
    expect(manuscript.chapters[4]?.title).toBe("The Last Tide");
    expect(sceneText(manuscript, 1, 1)).toBe(kept.text);
    expect(manuscript.chapters[0]?.scenes[0]?.pinned).toBe(true);
    const long = manuscript.chapters[1]?.scenes[0]?.words ?? 0;
    expect(Math.abs(long - 900) / 900).toBeLessThan(0.15);
    const report = (await stageOf(project.id, 12)).output as { report: { chapter_words: number[] } };
    expect(report.report.chapter_words).toHaveLength(5);
  });

  it("pins an edited scene: later runs leave it, unpinning lets them rewrite it, and a forced start redoes it", async () => {
    const project = await generate();
    await ok("POST", `/v2/projects/${project.id}/export`, { formats: ["txt"] });
    const before = await manuscriptOf(project.id);
    const mine = "Rain came in off the estuary.\n\n“Not tonight,” she said, and shut the ledger.";

    const edit = await api<SceneEdit>("PUT", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/2`, { text: mine });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ chapter: 2, scene: 2, stage: 11, stage_key: "motif_infusion", text: mine, pinned: true });
    const edited = await manuscriptOf(project.id);
    expect(sceneText(edited, 2, 2)).toBe(mine);
    expect(edited.chapters[1]?.scenes[1]?.pinned).toBe(true);
    expect(edited.chapters.filter((chapter) => chapter.number !== 2)).toEqual(before.chapters.filter((chapter) => chapter.number !== 2));
    const job = await status(project.id);
    expect(job.stages.map((stage) => stage.status)).toEqual([...Array(11).fill("completed"), "stale"]);
    const exported = await ok<{ items: { stale: boolean }[] }>("GET", `/v2/projects/${project.id}/export`);
    expect(exported.items.map((item) => item.stale)).toEqual([true]);

    const versions = await ok<SceneVersions>("GET", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/2/versions`);
    expect(versions.items.map((version) => [version.stage, version.source])).toEqual([
      [11, "edit"],
      [11, "stage"],
      [10, "stage"],
      [9, "stage"],
      [8, "stage"],
      [7, "stage"],
      [6, "stage"],
    ]);
    expect(versions.items[0]).toMatchObject({ version: edit.body.version, text: mine, words: edit.body.words, pinned: true });
    expect(edit.body.words).toBeGreaterThan(10);
    expect(versions.items[1]?.text).toBe(sceneText(before, 2, 2));

    // Stages 7–11 run again: the pinned scene stays as the writer left it.
    await runJob(project.id, "POST", `/v2/projects/${project.id}/generate/stages/7`);
    const { events } = await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`);
    expect(stagesStarted(events)).toEqual([8, 9, 10, 11, 12]);
    expect(sceneText(await manuscriptOf(project.id), 2, 2)).toBe(mine);

    // Unpinned, the next runs of stages 7–11 write it again from its draft: the book is as it was before the edit.
    const unpinned = await api("DELETE", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/2/pin`);
    expect(unpinned).toEqual({ status: 200, body: { chapter: 2, scene: 2, pinned: false } });
    await runJob(project.id, "POST", `/v2/projects/${project.id}/generate/stages/7`);
    await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`);
    expect(await manuscriptOf(project.id)).toEqual(before);

    // A forced start redoes a pinned scene too, and drops its pin.
    await ok("PUT", `/v2/projects/${project.id}/manuscript/chapters/3/scenes/1`, { text: mine });
    await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`, { force: true });
    expect(await manuscriptOf(project.id)).toEqual(before);
  });

  it("answers 404 for chapters and scenes that do not exist", async () => {
    const project = await generate();
    const base = `/v2/projects/${project.id}/manuscript/chapters`;
    for (const [chapter, scene] of [
      [9, 1],
      [1, 9],
    ]) {
      expect((await api("PUT", `${base}/${chapter}/scenes/${scene}`, { text: "Words." })).status).toBe(404);
      expect((await api("DELETE", `${base}/${chapter}/scenes/${scene}/pin`)).status).toBe(404);
      expect((await api("GET", `${base}/${chapter}/scenes/${scene}/versions`)).status).toBe(404);
      expect((await api("POST", `/v2/projects/${project.id}/rewrite`, { chapter, scene, instruction: "Darker." })).status).toBe(404);
    }
    expect((await api("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 9, instruction: "Darker." })).status).toBe(404);
    const unwritten = await ok<Project>("POST", "/v2/projects", BOOK);
    expect((await api("PUT", `/v2/projects/${unwritten.id}/manuscript/chapters/1/scenes/1`, { text: "Words." })).status).toBe(404);
  });

  it("refuses edits, restores, unpinning and rewrites while a job is active, and an instruction over 4 000 characters", async () => {
    const project = await generate();
    const tooLong = await api<ErrorBody>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 1, instruction: "x".repeat(4_001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.fields?.map((field) => field.path)).toEqual(["instruction"]);
    expect((await api<ErrorBody>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 1, instruction: "   " })).status).toBe(422);
    expect((await api<ErrorBody>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 1, instruction: "Darker.", from: "redo" })).status).toBe(422);

    const cast = (await stageOf(project.id, 4)).output;
    await ok("POST", `/v2/projects/${project.id}/generate`, { force: true });
    await api("POST", `/v2/projects/${project.id}/generate/pause`);
    const paused = await waitFor(project.id, (job) => job.status === "paused");
    const attempts = [
      api<ErrorBody>("PUT", `/v2/projects/${project.id}/generate/stages/4/output`, cast),
      api<ErrorBody>("POST", `/v2/projects/${project.id}/generate/stages/4/versions/1/restore`),
      api<ErrorBody>("PUT", `/v2/projects/${project.id}/manuscript/chapters/1/scenes/1`, { text: "Words." }),
      api<ErrorBody>("DELETE", `/v2/projects/${project.id}/manuscript/chapters/1/scenes/1/pin`),
      api<ErrorBody>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 1, instruction: "Darker." }),
    ];
    for (const attempt of await Promise.all(attempts)) {
      expect(attempt.status).toBe(409);
      expect(attempt.body.message).toContain("paused");
    }
    expect((await status(project.id)).last_event_id).toBe(paused.last_event_id);
    await ok("POST", `/v2/projects/${project.id}/generate/cancel`);
  });

  it("restores an earlier version as a new one, with the same stale rules as an edit", async () => {
    const project = await generate();
    const world = (await stageOf(project.id, 2)).output as { setting: { name: string } };
    await ok("PUT", `/v2/projects/${project.id}/generate/stages/2/output`, { ...world, setting: { ...world.setting, name: "Port Grey" } });
    await runJob(project.id, "POST", `/v2/projects/${project.id}/generate`);
    const restored = await api<StageOutput>("POST", `/v2/projects/${project.id}/generate/stages/2/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, edited: true, output: world });
    const versions = await ok<StageVersions>("GET", `/v2/projects/${project.id}/generate/stages/2/versions`);
    expect(versions.items.map((version) => [version.version, version.restored_from, version.current])).toEqual([
      [3, 1, true],
      [2, null, false],
      [1, null, false],
    ]);
    expect((await status(project.id)).stages.slice(2).every((stage) => stage.status === "stale")).toBe(true);
    expect((await api("POST", `/v2/projects/${project.id}/generate/stages/2/versions/9/restore`)).status).toBe(404);
  });

  it("rewrites one chapter as a job: deterministic for an instruction, other chapters byte-identical, only stages 6–12 run", async () => {
    const project = await generate();
    const before = await manuscriptOf(project.id);
    const instruction = "Let the storm break early, and have everyone speak in whispers.";

    const { queued, job, events } = await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 2, instruction });
    expect(queued).toMatchObject({ kind: "rewrite", status: "queued" });
    expect(job).toMatchObject({ kind: "rewrite", progress: 1 });
    expect(job.stages.every((stage) => stage.status === "completed")).toBe(true);
    expect(stagesStarted(events)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    const progress = events.filter((event) => event.type === "progress").map((event) => (event.data as { progress: number }).progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.filter((event) => event.type === "progress" && (event.data as { stage: number }).stage === 6)).toHaveLength(3 + 1);

    const after = await manuscriptOf(project.id);
    expect(after.chapters.filter((chapter) => chapter.number !== 2)).toEqual(before.chapters.filter((chapter) => chapter.number !== 2));
    for (const scene of [1, 2, 3]) expect(sceneText(after, 2, scene)).not.toBe(sceneText(before, 2, scene));
    const versions = await ok<SceneVersions>("GET", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/1/versions`);
    expect(versions.items.slice(0, 6).map((version) => [version.stage, version.source, version.job_id])).toEqual([
      [11, "stage", job.job_id],
      [10, "stage", job.job_id],
      [9, "stage", job.job_id],
      [8, "stage", job.job_id],
      [7, "stage", job.job_id],
      [6, "rewrite", job.job_id],
    ]);
    const report = (await stageOf(project.id, 12)).output as { manuscript: { words: number } };
    expect(report.manuscript.words).toBe(after.words);

    // The same instruction gives the same chapter; another one another chapter, and nothing else changes.
    await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 2, instruction });
    expect(await manuscriptOf(project.id)).toEqual(after);
    await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 2, instruction: "Make it morning, and quieter." });
    const other = await manuscriptOf(project.id);
    expect(other.chapters.filter((chapter) => chapter.number !== 2)).toEqual(before.chapters.filter((chapter) => chapter.number !== 2));
    expect(other.chapters[1]).not.toEqual(after.chapters[1]);
  });

  it("revises one scene alone, leaves pinned scenes unless forced, and pauses and resumes like any job", async () => {
    const project = await generate();
    const before = await manuscriptOf(project.id);
    await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 3, scene: 2, from: "revise", instruction: "Tighten the argument." });
    const revised = await manuscriptOf(project.id);
    const changed = revised.chapters.flatMap((chapter) => chapter.scenes.filter((scene) => scene.text !== sceneText(before, chapter.number, scene.number)).map((scene) => `${chapter.number}:${scene.number}`));
    expect(changed).toEqual(["3:2"]);
    // A revision works on the current text: most of it is still there.
    const kept = (sceneText(before, 3, 2) ?? "").split("\n\n").filter((paragraph) => (sceneText(revised, 3, 2) ?? "").includes(paragraph.slice(0, 40)));
    expect(kept.length).toBeGreaterThan(0);

    const mine = "She counted the boats twice and trusted neither count.";
    await ok("PUT", `/v2/projects/${project.id}/manuscript/chapters/4/scenes/1`, { text: mine });
    const pinnedOnly = await api<ErrorBody>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 4, scene: 1, instruction: "Longer." });
    expect(pinnedOnly.status).toBe(409);
    expect(pinnedOnly.body.message).toContain("pinned");
    await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 4, instruction: "Colder." });
    const aroundPin = await manuscriptOf(project.id);
    expect(sceneText(aroundPin, 4, 1)).toBe(mine);
    expect(sceneText(aroundPin, 4, 2)).not.toBe(sceneText(revised, 4, 2));

    // Paused as soon as it is queued, resumed, it writes what a straight run of the same rewrite writes.
    const straight = await manuscriptOf(project.id);
    const rewrite = await ok<JobStatus>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 4, instruction: "Colder." });
    const paused = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate/pause`);
    if (paused.status === 200) {
      const stopped = await waitFor(project.id, (job) => job.status === "paused" || job.status === "completed");
      if (stopped.status === "paused") {
        expect(stopped).toMatchObject({ job_id: rewrite.job_id, kind: "rewrite" });
        await ok("POST", `/v2/projects/${project.id}/generate/resume`);
      }
    }
    expect((await finished(project.id)).status).toBe("completed");
    expect(await manuscriptOf(project.id)).toEqual(straight);

    await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 4, scene: 1, instruction: "Longer.", force: true });
    const forced = await manuscriptOf(project.id);
    expect(sceneText(forced, 4, 1)).not.toBe(mine);
    expect(forced.chapters[3]?.scenes[0]?.pinned).toBe(false);
  });

  it("puts the instruction, the chapter's outline and the neighbouring scenes in an LLM writer's rewrite prompt", async () => {
    const project = await generate({ ...BOOK, title: "Signal Fires" });
    const before = await manuscriptOf(project.id);
    // The book was written offline; the rewrite asks the model.
    await ok("PATCH", `/v2/projects/${project.id}`, { writer: { provider: "openai-compatible", model: "loopback-novelist" } });
    const prose = (label: string) => `${label}: the fog lifted off the water.\n\n“Now,” said someone, and the lamps went out.`;
    const audit = JSON.stringify({ text: prose("audited"), issues: [] });
    llm.requests.length = 0;
    llm.reply(completion(prose("draft")), completion(prose("refined")), completion(audit), completion(prose("dialogue")), completion(prose("voice")), completion(prose("motifs")));
    const instruction = "Give the lighthouse keeper a secret she never says aloud.";
    await runJob(project.id, "POST", `/v2/projects/${project.id}/rewrite`, { chapter: 2, scene: 2, instruction });

    expect(llm.requests).toHaveLength(6);
    const prompt = JSON.stringify(llm.requests[0]?.body.messages);
    expect(prompt).toContain(instruction);
    const outline = (await stageOf(project.id, 5)).output as Outline;
    for (const scene of outline.chapters[1]?.scenes ?? []) expect(prompt).toContain(JSON.stringify(scene.pov).slice(1, -1));
    expect(prompt).toContain("The chapter's outline");
    // The scene before, as drafted (what drafting continues from), and the scene after, as it reads now.
    const drafts = (await stageOf(project.id, 6)).scenes ?? [];
    const previousEnding = (drafts.find((scene) => scene.chapter === 2 && scene.scene === 1)?.text ?? "").slice(-60);
    const nextOpening = (sceneText(before, 2, 3) ?? "").slice(0, 60);
    expect(previousEnding.length).toBe(60);
    expect(prompt).toContain(JSON.stringify(previousEnding).slice(1, -1));
    expect(prompt).toContain(JSON.stringify(nextOpening).slice(1, -1));
    const after = await manuscriptOf(project.id);
    expect(sceneText(after, 2, 2)).toBe(prose("motifs"));
    expect(after.chapters.filter((chapter) => chapter.number !== 2)).toEqual(before.chapters.filter((chapter) => chapter.number !== 2));
  });
});

describe("a rewrite interrupted by a restart", () => {
  /** Two chapters of twelve scenes: rewriting one takes 72 checkpoints, so a restart lands mid-way. */
  const LONG_CHAPTERS = { title: "Harbour of Clocks", genre: "fantasy", target_words: 24_000, chapters: 2, scenes_per_chapter: 12, seed: 90_210 };

  it("continues from its last checkpoint by itself, redoes no finished scene, and writes what a straight run writes", async () => {
    const first = await startTestServer("pglite");
    let second: RunningTestServer | null = null;
    const call = async <T>(target: RunningTestServer, method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${target.url}/api${path}`, {
        method,
        headers: { "x-api-key": target.ownerKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const waitFor = async (target: RunningTestServer, projectId: string, done: (job: JobStatus) => boolean) => {
      for (const deadline = Date.now() + 120_000; ; ) {
        const job = await call<JobStatus>(target, "GET", `/v2/projects/${projectId}/generate/status`);
        if (done(job)) return job;
        if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status} at stage ${job.current_stage?.number}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const ended = (job: JobStatus) => job.status === "completed" || job.status === "failed";
    try {
      const project = await call<Project>(first, "POST", "/v2/projects", LONG_CHAPTERS);
      await call(first, "POST", `/v2/projects/${project.id}/generate`, {});
      await waitFor(first, project.id, ended);
      const rewrite = { chapter: 1, instruction: "Have the clocks stop, one by one." };
      await call(first, "POST", `/v2/projects/${project.id}/rewrite`, rewrite);
      expect((await waitFor(first, project.id, ended)).status).toBe("completed");
      const straight = await call<Manuscript>(first, "GET", `/v2/projects/${project.id}/manuscript`);

      // The same rewrite again writes the same chapter: stopped mid-way, it must too.
      const job = await call<JobStatus>(first, "POST", `/v2/projects/${project.id}/rewrite`, rewrite);
      const stoppedAt = await waitFor(first, project.id, (current) => ended(current) || (current.current_stage?.number ?? 0) >= 7);
      expect(stoppedAt.status).toBe("running");
      await first.app.close();

      second = await startTestServer("pglite", { dataDir: first.dataDir });
      // Nobody asks it to continue: the restarted server does so on its own.
      const done = await waitFor(second, project.id, ended);
      expect(done).toMatchObject({ job_id: job.job_id, kind: "rewrite", status: "completed" });
      expect(await call<Manuscript>(second, "GET", `/v2/projects/${project.id}/manuscript`)).toEqual(straight);
      const events = await call<{ items: GenerationEvent[] }>(second, "GET", `/v2/projects/${project.id}/generate/events?after=${job.last_event_id}`);
      expect(events.items.some((event) => (event.data as { message?: string }).message === "Continuing from the last checkpoint.")).toBe(true);
      // Every scene of the chapter was written once per scene stage by this job, however the restart cut it.
      for (let scene = 1; scene <= LONG_CHAPTERS.scenes_per_chapter; scene++) {
        const versions = await call<SceneVersions>(second, "GET", `/v2/projects/${project.id}/manuscript/chapters/1/scenes/${scene}/versions`);
        expect(versions.items.filter((version) => version.job_id === job.job_id).map((version) => version.stage)).toEqual([11, 10, 9, 8, 7, 6]);
      }
    } finally {
      if (second) await second.stop();
      else await first.app.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
