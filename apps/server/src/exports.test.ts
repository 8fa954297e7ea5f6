import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptoriumClient, type RouterOutputs } from "@scriptorium/client";
import { convertToPdfWithLibreOffice, epubcheck, epubcheckProblems, pdfInfo, pdfText } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
type Manuscript = RouterOutputs["generation"]["manuscript"];
type ExportList = RouterOutputs["exports"]["list"];
type ExportStatus = RouterOutputs["exports"]["status"];

/** Accents, Cyrillic, a curly apostrophe and an em dash: all must survive every format. */
const TITLE = "Élodie’s Road — Дорога домой";
const AUTHOR = "Zoë Ångström";
const BOOK = { title: TITLE, author: AUTHOR, genre: "literary", target_words: 6_000, chapters: 4, scenes_per_chapter: 3, seed: 99 };
const FORMATS = ["docx", "epub", "pdf", "md", "txt"] as const;
const MIME_TYPES = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  epub: "application/epub+zip",
  pdf: "application/pdf",
  md: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

describe("exports of a generated manuscript", () => {
  let server: RunningTestServer;
  let project: Project;
  let manuscript: Manuscript;
  let scratch: string;

  const api = async <T = unknown>(method: string, path: string, body?: unknown, key = server.ownerKey) => {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const download = (format: string, init: RequestInit = {}, key = server.ownerKey) =>
    fetch(`${server.url}/api/v2/projects/${project.id}/export/${format}`, { ...init, headers: { "x-api-key": key, ...init.headers } });
  const waitForJob = async (projectId: string) => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const job = (await api<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`)).body;
      if (job.status === "completed") return;
      if (job.status === "failed") throw new Error(job.error ?? "job failed");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("the job did not finish in time");
  };
  /** Saves a downloaded file where the checkers can read it. */
  const saved = async (format: string): Promise<{ path: string; bytes: Buffer }> => {
    const response = await download(format);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const path = join(scratch, `book.${format}`);
    writeFileSync(path, bytes);
    return { path, bytes };
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "scriptorium-exports-"));
    server = await startTestServer("pglite");
    project = (await api<Project>("POST", "/v2/projects", BOOK)).body;
    // Before any text exists there is nothing to build or download.
    expect((await api("POST", `/v2/projects/${project.id}/generate`, {})).status).toBe(200);
    await waitForJob(project.id);
    manuscript = (await api<Manuscript>("GET", `/v2/projects/${project.id}/manuscript`)).body;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("answers 409 before the manuscript exists, and 404 for files never built", async () => {
    const fresh = (await api<Project>("POST", "/v2/projects", { title: "Blank Pages" })).body;
    const early = await api<{ code: string; message: string }>("POST", `/v2/projects/${fresh.id}/export`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toContain("stage 6");
    expect((await api<ExportList>("GET", `/v2/projects/${fresh.id}/export`)).body.items).toEqual([]);
    const status = await api<ExportStatus>("GET", `/v2/projects/${fresh.id}/export/pdf/status`);
    expect(status.body).toMatchObject({ format: "pdf", exists: false, size_bytes: null, stale: null });
    const missing = await fetch(`${server.url}/api/v2/projects/${fresh.id}/export/pdf`, { headers: { "x-api-key": server.ownerKey } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toBeTruthy();
    expect(((await missing.json()) as { code: string; message: string }).message).toContain("pdf export");
  });

  it("builds every format, served with its type, name and ETag, and rebuilding the same text changes nothing", async () => {
    const built = await api<ExportList>("POST", `/v2/projects/${project.id}/export`, {});
    expect(built.status).toBe(200);
    expect(built.body.items.map((item) => item.format)).toEqual(FORMATS);
    for (const item of built.body.items) {
      expect(item).toMatchObject({ stale: false, filename: `elodie-s-road.${item.format === "md" ? "md" : item.format}` });
      expect(item.size_bytes).toBeGreaterThan(0);
      expect(item.trim).toBe(item.format === "docx" || item.format === "pdf" ? "6x9" : null);

      const response = await download(item.format);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(response.headers.get("content-type")).toBe(MIME_TYPES[item.format]);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${item.filename}"; filename*=UTF-8''${item.filename}`);
      expect(response.headers.get("etag")).toBe(`"${item.sha256}"`);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(item.sha256);
      expect(bytes.length).toBe(item.size_bytes);

      const again = await download(item.format, { headers: { "if-none-match": `"${item.sha256}"` } });
      expect(again.status).toBe(304);
      const head = await download(item.format, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(item.size_bytes));
    }

    const listed = await api<ExportList>("GET", `/v2/projects/${project.id}/export`);
    expect(listed.body.items).toEqual(built.body.items);
    const rebuilt = await api<ExportList>("POST", `/v2/projects/${project.id}/export`, { formats: ["md", "epub"] });
    expect(rebuilt.body.items).toEqual(built.body.items.filter((item) => item.format === "epub" || item.format === "md"));
  });

  it("writes files that EPUBCheck, LibreOffice and poppler accept, with the Unicode intact", async () => {
    await api("POST", `/v2/projects/${project.id}/export`, {});
    const firstChapter = manuscript.chapters[0];
    const opening = firstChapter?.scenes[0]?.text.split(/\s+/).slice(0, 8).join(" ") ?? "";
    expect(opening.length).toBeGreaterThan(10);

    const epub = await saved("epub");
    expect(epubcheckProblems(await epubcheck(epub.path))).toEqual([]);

    const docx = await saved("docx");
    const converted = await pdfText(await convertToPdfWithLibreOffice(docx.path, scratch));
    expect(converted).toContain(TITLE);
    expect(converted).toContain(`Chapter 1: ${firstChapter?.title}`);

    const pdf = await saved("pdf");
    expect((await pdfInfo(pdf.path))["Page size"]).toBe("432 x 648 pts");
    const text = await pdfText(pdf.path);
    for (const expected of [TITLE, AUTHOR, `Chapter 1: ${firstChapter?.title}`, opening, "* * *"]) expect(text).toContain(expected);

    for (const format of ["md", "txt"] as const) {
      const plain = (await saved(format)).bytes.toString("utf8");
      expect(plain).toContain(AUTHOR);
      expect(plain).toContain(format === "md" ? `# ${TITLE}` : `${TITLE}\n${"=".repeat([...TITLE].length)}`);
      expect(plain).toContain(opening);
      for (const chapter of manuscript.chapters) expect(plain).toContain(`Chapter ${chapter.number}: ${chapter.title}`);
      expect(plain.split(format === "md" ? "\\* \\* \\*" : "* * *").length - 1).toBe(manuscript.chapters.length * (BOOK.scenes_per_chapter - 1));
    }
  });

  it("builds the paged formats at 5×8 on request", async () => {
    const built = await api<ExportList>("POST", `/v2/projects/${project.id}/export`, { formats: ["pdf"], trim: "5x8" });
    expect(built.body.items).toMatchObject([{ format: "pdf", trim: "5x8", stale: false }]);
    expect((await pdfInfo((await saved("pdf")).path))["Page size"]).toBe("360 x 576 pts");
    const bad = await api<{ fields: { path: string }[] }>("POST", `/v2/projects/${project.id}/export`, { trim: "A4" });
    expect(bad.status).toBe(422);
    expect(bad.body.fields.map((field) => field.path)).toEqual(["trim"]);
  });

  it("marks exports stale when the text or the title changes, and a rebuild freshens them", async () => {
    await api("POST", `/v2/projects/${project.id}/export`, {});
    const before = (await api<ExportList>("GET", `/v2/projects/${project.id}/export`)).body.items;
    expect(before.every((item) => !item.stale)).toBe(true);

    // Running stage 7 alone makes its text the latest: every export is now behind.
    expect((await api("POST", `/v2/projects/${project.id}/generate/stages/7`)).status).toBe(200);
    await waitForJob(project.id);
    const after = (await api<ExportList>("GET", `/v2/projects/${project.id}/export`)).body.items;
    expect(after.map((item) => item.stale)).toEqual(FORMATS.map(() => true));
    expect((await api<ExportStatus>("GET", `/v2/projects/${project.id}/export/epub/status`)).body).toMatchObject({ exists: true, stale: true });
    // The stale file is still there to download until it is rebuilt.
    expect((await download("epub")).status).toBe(200);

    const rebuilt = (await api<ExportList>("POST", `/v2/projects/${project.id}/export`, {})).body.items;
    expect(rebuilt.every((item) => !item.stale)).toBe(true);
    expect(rebuilt.find((item) => item.format === "txt")?.sha256).not.toBe(before.find((item) => item.format === "txt")?.sha256);

    await api("PATCH", `/v2/projects/${project.id}`, { title: "The Quiet Harbour" });
    expect((await api<ExportList>("GET", `/v2/projects/${project.id}/export`)).body.items.every((item) => item.stale)).toBe(true);
    const renamed = (await api<ExportList>("POST", `/v2/projects/${project.id}/export`, { formats: ["txt"] })).body.items;
    expect(renamed).toMatchObject([{ format: "txt", filename: "the-quiet-harbour.txt", stale: false }]);
    expect((await download("txt")).headers.get("content-disposition")).toContain('filename="the-quiet-harbour.txt"');
    await api("PATCH", `/v2/projects/${project.id}`, { title: TITLE });
  });

  it("lets a read key download but not build; other workspaces and keyless callers see nothing", async () => {
    await api("POST", `/v2/projects/${project.id}/export`, { formats: ["md"] });
    const reader = (await api<{ key: string }>("POST", "/v1/keys", { name: "reader", scope: "read" })).body.key;
    expect((await download("md", {}, reader)).status).toBe(200);
    expect((await api("GET", `/v2/projects/${project.id}/export`, undefined, reader)).status).toBe(200);
    const refused = await api<{ message: string }>("POST", `/v2/projects/${project.id}/export`, {}, reader);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('"write" scope');

    const stranger = (await api<{ admin_key: { key: string } }>("POST", "/v1/workspaces", { name: "Elsewhere" })).body.admin_key.key;
    expect((await download("md", {}, stranger)).status).toBe(404);
    expect((await api("GET", `/v2/projects/${project.id}/export`, undefined, stranger)).status).toBe(404);
    expect((await api("POST", `/v2/projects/${project.id}/export`, {}, stranger)).status).toBe(404);

    const keyless = await fetch(`${server.url}/api/v2/projects/${project.id}/export/md`);
    expect(keyless.status).toBe(401);
  });

  it("serves nothing but the five formats: anything else is refused before the file system is touched", async () => {
    for (const format of ["exe", "..%2F..%2Fowner.key", "%2E%2E%2Fowner.key", "PDF", "%E0%A4%A"]) {
      const response = await download(format);
      expect(response.status, format).toBe(422);
      const body = (await response.json()) as { code: string; fields: { path: string }[] };
      expect(body.fields.map((field) => field.path)).toEqual(["format"]);
    }
    expect((await api("GET", `/v2/projects/${project.id}/export/exe/status`)).status).toBe(422);
    const traversal = await fetch(`${server.url}/api/v2/projects/${project.id}/export/../../owner.key`, { headers: { "x-api-key": server.ownerKey } });
    expect(traversal.status).toBe(404);
  });

  it("gives typed clients the same answers as REST", async () => {
    const client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    const built = await client.exports.build.mutate({ id: project.id, formats: ["txt", "md"] });
    expect(built.items.map((item) => item.format)).toEqual(["md", "txt"]);
    expect(await client.exports.list.query({ id: project.id })).toEqual((await api<ExportList>("GET", `/v2/projects/${project.id}/export`)).body);
    expect(await client.exports.status.query({ id: project.id, format: "md" })).toEqual((await api<ExportStatus>("GET", `/v2/projects/${project.id}/export/md/status`)).body);
  });

  it("removes a deleted project's files", async () => {
    const doomed = (await api<Project>("POST", "/v2/projects", { ...BOOK, title: "Ephemera", seed: 5 })).body;
    await api("POST", `/v2/projects/${doomed.id}/generate`, {});
    await waitForJob(doomed.id);
    await api("POST", `/v2/projects/${doomed.id}/export`, { formats: ["txt"] });
    const dir = join(server.dataDir, "exports", doomed.id);
    expect(existsSync(dir)).toBe(true);
    expect((await api("DELETE", `/v2/projects/${doomed.id}`)).status).toBe(200);
    expect(existsSync(dir)).toBe(false);
  });
});
