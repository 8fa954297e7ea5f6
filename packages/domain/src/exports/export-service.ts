import { createHash } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { DEFAULT_LANGUAGE, DEFAULT_TRIM_SIZE, EXPORT_FORMATS, type ExportFormat, type TrimSize } from "@scriptorium/contract";
import { projectExports, type Database, type ProjectExportRow, type ProjectRow } from "@scriptorium/db";
import { ConflictError, NotFoundError } from "../errors";
import { latestTextStage, readManuscript } from "../generation/manuscript";
import type { BlobStore } from "../collections/blob-store";
import type { ProjectService } from "../generation/project-service";
import type { Book, BookExporter } from "./book";
import { DocxExporter } from "./docx";
import { EpubExporter } from "./epub";
import { MarkdownExporter } from "./markdown";
import { PdfExporter } from "./pdf";
import { TextExporter } from "./text";
import { yieldToEventLoop } from "../event-loop";

/** The formats whose page size is a build option. */
const PAGED_FORMATS: ReadonlySet<ExportFormat> = new Set(["docx", "pdf"]);

/** One built export of a project; the API names its fields for the wire. */
export interface ExportRecord {
  format: ExportFormat;
  filename: string;
  sizeBytes: number;
  sha256: string;
  /** The page size it was built for; null for formats without pages. */
  trim: TrimSize | null;
  createdAt: Date;
  modifiedAt: Date;
  /** The manuscript (or the title or author) changed after this file was built. */
  stale: boolean;
}

/** A built file, ready to be sent. */
export interface ExportFile {
  path: string;
  filename: string;
  mimeType: string;
  sha256: string;
  sizeBytes: number;
  modifiedAt: Date;
}

export interface BuildOptions {
  formats?: readonly ExportFormat[] | undefined;
  trim?: TrimSize | undefined;
}

/** Lower-case ASCII words of a title joined by hyphens: the name of every file built from it. */
function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "manuscript";
}

/** "Chapter 3: The Storm"; an untitled chapter is just "Chapter 3". */
export function chapterHeading(number: number, title: string): string {
  const label = `Chapter ${number}`;
  return title === label || title === "" ? label : `${label}: ${title}`;
}

/** A scene's paragraphs: the writers separate them with blank lines; line breaks inside one are just spaces. */
export function paragraphsOf(sceneText: string): string[] {
  return sceneText
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, " ").trim())
    .filter((paragraph) => paragraph.length > 0);
}

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Builds, lists and serves a project's exports. Each file is stored under
 * its SHA-256 and its row is switched to it in one statement, so a reader
 * sees the old file or the new one, never a partial one; building the same
 * text again gives the same bytes, so repeated requests are idempotent.
 * Files live in the data directory, or, with `shared` (PostgreSQL), in the
 * database, from which any node serves them through its local cache.
 */
export class ExportService {
  private readonly exporters: ReadonlyMap<ExportFormat, BookExporter>;

  constructor(
    private readonly db: Database,
    private readonly projects: ProjectService,
    private readonly dir: string,
    exporters: readonly BookExporter[] = [new DocxExporter(), new EpubExporter(), new PdfExporter(), new MarkdownExporter(), new TextExporter()],
    private readonly shared: BlobStore | null = null,
  ) {
    this.exporters = new Map(exporters.map((exporter) => [exporter.format, exporter]));
  }

  /** Builds the requested formats (default all) from the latest text; formats already up to date are kept as they are. */
  async build(workspaceId: string, projectId: string, options: BuildOptions = {}): Promise<ExportRecord[]> {
    const project = await this.projects.get(workspaceId, projectId);
    const stage = await latestTextStage(this.db, projectId);
    if (stage === null) throw new ConflictError(`Project ${projectId} has no manuscript yet: exports can be built once scene drafting (stage 6) has finished.`);
    const trim = options.trim ?? DEFAULT_TRIM_SIZE;
    const fingerprint = this.fingerprint(project, stage);
    const formats = EXPORT_FORMATS.filter((format) => !options.formats || options.formats.includes(format));
    const existing = new Map((await this.rows(projectId)).map((row) => [row.format, row]));
    let book: Book | null = null;
    const views: ExportRecord[] = [];
    for (const format of formats) {
      const row = existing.get(format);
      const upToDate = row && row.sourceFingerprint === fingerprint && (!PAGED_FORMATS.has(format) || row.trim === trim) && (await this.fileExists(row));
      if (upToDate) {
        views.push(this.view(row, fingerprint));
        continue;
      }
      book ??= await this.book(project, trim);
      views.push(this.view(await this.buildOne(project, book, format, trim, fingerprint), fingerprint));
      // A long build of several formats lets other requests in between formats.
      await yieldToEventLoop();
    }
    return views;
  }

  async list(workspaceId: string, projectId: string): Promise<ExportRecord[]> {
    const project = await this.projects.get(workspaceId, projectId);
    const fingerprint = this.fingerprint(project, await latestTextStage(this.db, projectId));
    const rows = await this.rows(projectId);
    return EXPORT_FORMATS.flatMap((format) => rows.filter((row) => row.format === format).map((row) => this.view(row, fingerprint)));
  }

  /** The export of one format, or null before it has been built. */
  async status(workspaceId: string, projectId: string, format: ExportFormat): Promise<ExportRecord | null> {
    return (await this.list(workspaceId, projectId)).find((candidate) => candidate.format === format) ?? null;
  }

  /** The built file of one format; 404 before it has been built. */
  async file(workspaceId: string, projectId: string, format: ExportFormat): Promise<ExportFile> {
    await this.projects.get(workspaceId, projectId);
    const [row] = await this.db
      .select()
      .from(projectExports)
      .where(and(eq(projectExports.projectId, projectId), eq(projectExports.format, format)));
    if (!row) throw new NotFoundError(`The ${format} export of project`, projectId);
    const exporter = this.exporter(format);
    return {
      path: this.shared ? await this.shared.localPath(row.sha256) : this.pathOf(projectId, row.sha256, exporter),
      filename: row.filename,
      mimeType: exporter.mimeType,
      sha256: row.sha256,
      sizeBytes: row.sizeBytes,
      modifiedAt: row.modifiedAt,
    };
  }

  /** Removes a deleted project's files (its rows went with the project). */
  async removeProjectFiles(projectId: string): Promise<void> {
    await rm(join(this.dir, projectId), { recursive: true, force: true });
  }

  private async buildOne(project: ProjectRow, book: Book, format: ExportFormat, trim: TrimSize, fingerprint: string): Promise<ProjectExportRow> {
    const exporter = this.exporter(format);
    const bytes = await exporter.build(book);
    const hash = sha256(bytes);
    if (this.shared) {
      // Stored before the row points at it, so whichever node reads the row finds the file.
      await this.shared.put(bytes);
    } else {
      const path = this.pathOf(project.id, hash, exporter);
      await mkdir(join(this.dir, project.id), { recursive: true });
      // Written aside and renamed into place: a file under its final name is always whole.
      const partial = `${path}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, path);
    }
    const now = new Date();
    const values = {
      workspaceId: project.workspaceId,
      projectId: project.id,
      format,
      filename: `${slugify(project.title)}.${exporter.extension}`,
      sizeBytes: bytes.byteLength,
      sha256: hash,
      trim,
      sourceFingerprint: fingerprint,
      modifiedAt: now,
    };
    const { row, replaced } = await this.db.transaction(async (tx) => {
      const [previous] = await tx
        .select({ sha256: projectExports.sha256 })
        .from(projectExports)
        .where(and(eq(projectExports.projectId, project.id), eq(projectExports.format, format)))
        .for("update");
      const [saved] = await tx
        .insert(projectExports)
        .values({ ...values, createdAt: now })
        .onConflictDoUpdate({ target: [projectExports.projectId, projectExports.format], set: values })
        .returning();
      return { row: saved as ProjectExportRow, replaced: previous?.sha256 };
    });
    // The previous file is no longer referenced once the row points at the new one. (Files in the database are shared by content and stay.)
    if (!this.shared && replaced && replaced !== hash) await rm(this.pathOf(project.id, replaced, exporter), { force: true });
    return row;
  }

  private async book(project: ProjectRow, trim: TrimSize): Promise<Book> {
    const manuscript = await readManuscript(this.db, project.id);
    // A chapter at a time, with a turn of the event loop between: splitting a 500 000-word book into paragraphs at once held it for some 100 ms.
    const chapters: Book["chapters"] = [];
    for (const chapter of manuscript.chapters) {
      chapters.push({ number: chapter.number, title: chapterHeading(chapter.number, chapter.title), scenes: chapter.scenes.map((scene) => paragraphsOf(scene.text)) });
      await yieldToEventLoop();
    }
    return {
      id: project.id,
      title: project.title,
      author: project.author || "Anonymous",
      language: project.language,
      genre: project.genre,
      chapters,
      words: manuscript.words,
      trim,
      modifiedAt: project.textUpdatedAt ?? project.updatedAt,
    };
  }

  /**
   * What a build depends on besides its options: the text's version, title,
   * author and language. English, which every export declared before
   * projects had a language, leaves the fingerprint as it was, so exports
   * built before stay fresh.
   */
  private fingerprint(project: ProjectRow, stage: number | null): string {
    const language = project.language === DEFAULT_LANGUAGE ? [] : [project.language];
    return sha256(JSON.stringify([stage, project.textUpdatedAt?.toISOString() ?? null, project.title, project.author, ...language]));
  }

  private view(row: ProjectExportRow, fingerprint: string): ExportRecord {
    return {
      format: row.format,
      filename: row.filename,
      sizeBytes: row.sizeBytes,
      sha256: row.sha256,
      trim: PAGED_FORMATS.has(row.format) ? row.trim : null,
      createdAt: row.createdAt,
      modifiedAt: row.modifiedAt,
      stale: row.sourceFingerprint !== fingerprint,
    };
  }

  private rows(projectId: string): Promise<ProjectExportRow[]> {
    return this.db.select().from(projectExports).where(eq(projectExports.projectId, projectId));
  }

  private async fileExists(row: ProjectExportRow): Promise<boolean> {
    if (this.shared) return this.shared.has(row.sha256);
    const info = await stat(this.pathOf(row.projectId, row.sha256, this.exporter(row.format))).catch(() => null);
    return info?.size === row.sizeBytes;
  }

  private pathOf(projectId: string, hash: string, exporter: BookExporter): string {
    return join(this.dir, projectId, `${hash}.${exporter.extension}`);
  }

  private exporter(format: ExportFormat): BookExporter {
    const exporter = this.exporters.get(format);
    if (!exporter) throw new Error(`No exporter for ${format}`);
    return exporter;
  }
}
