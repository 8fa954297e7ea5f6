import type { RouterOutputs } from "@scriptorium/api";
import { CONTENT_LIMITS } from "@scriptorium/contract/values";

export type ArtifactFile = RouterOutputs["artifacts"]["files"]["items"][number];
export type InlineFile = RouterOutputs["artifacts"]["readFile"];

/** The artifact page's address; a query string, as the static export has no dynamic segments. `line` marks a line of the open file. */
export function artifactHref(collectionId: string, artifactId: string, path?: string, line?: number): string {
  const query = new URLSearchParams({ collection: collectionId, id: artifactId });
  if (path) query.set("file", path);
  if (path && line !== undefined && line > 0) query.set("line", String(line));
  return `/collections/artifact?${query.toString()}`;
}

/** The `line` of the artifact page's address, when it names one. */
export function parseLine(value: string | null): number | undefined {
  if (value === null || !/^[1-9][0-9]{0,8}$/.test(value)) return undefined;
  return Number(value);
}

const collectionsApi = (collectionId: string) => `/api/v1/collections/${encodeURIComponent(collectionId)}`;

/** A file's raw bytes. Each segment is encoded on its own: the route takes the `/` between them as they are. */
export function rawFileHref(collectionId: string, artifactId: string, path: string): string {
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  return `${collectionsApi(collectionId)}/artifacts/${encodeURIComponent(artifactId)}/files/${encodedPath}`;
}

/** The artifact's files as a tar.gz; the session cookie authorizes it, so a plain link works. */
export function artifactBundleHref(collectionId: string, artifactId: string): string {
  return `${collectionsApi(collectionId)}/artifacts/${encodeURIComponent(artifactId)}/bundle`;
}

export function collectionBundleHref(collectionId: string): string {
  return `${collectionsApi(collectionId)}/bundle`;
}

/** Files up to this size travel inline (base64 in tRPC); larger ones only through the raw route. */
export const INLINE_FILE_BYTES = CONTENT_LIMITS.inlineFileBytes;

/** "812 B", "4.2 KiB", "1.3 MiB": file sizes in the binary units the server's limits are stated in. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

// ─── The tree ────────────────────────────────────────────────────────────────

export interface FileTreeFolder {
  kind: "folder";
  name: string;
  /** The folder's path, without a trailing slash. */
  path: string;
  children: FileTreeNode[];
}
export interface FileTreeFile {
  kind: "file";
  name: string;
  file: ArtifactFile;
}
export type FileTreeNode = FileTreeFolder | FileTreeFile;

/** Folders from the `/` in paths; within a folder, subfolders first, then files, each by name. */
export function buildFileTree(files: readonly ArtifactFile[]): FileTreeNode[] {
  const root: FileTreeFolder = { kind: "folder", name: "", path: "", children: [] };
  for (const file of files) {
    const segments = file.path.split("/");
    let folder = root;
    for (const segment of segments.slice(0, -1)) {
      const path = folder.path ? `${folder.path}/${segment}` : segment;
      let next = folder.children.find((child): child is FileTreeFolder => child.kind === "folder" && child.name === segment);
      if (!next) {
        next = { kind: "folder", name: segment, path, children: [] };
        folder.children.push(next);
      }
      folder = next;
    }
    folder.children.push({ kind: "file", name: segments.at(-1) ?? file.path, file });
  }
  sortTree(root);
  return root.children;
}

function sortTree(folder: FileTreeFolder): void {
  folder.children.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "folder" ? -1 : 1));
  for (const child of folder.children) if (child.kind === "folder") sortTree(child);
}

// ─── Bytes and text ──────────────────────────────────────────────────────────

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  // In slices: spreading a megabyte into one String.fromCharCode call overflows the stack.
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

/** Media types never worth fetching to try as text. */
const BINARY_MEDIA = /^(image|audio|video|font)\/|^application\/(zip|gzip|x-gzip|x-tar|pdf|wasm|x-7z-compressed|vnd\.|octet-stream$)/;

/** Whether a file is worth reading inline to show as text: small enough, and not of a type known to be binary. */
export function mayBeText(file: ArtifactFile): boolean {
  if (file.size > INLINE_FILE_BYTES) return false;
  // Names the server does not know (LICENSE, Makefile) come as octet-stream; their bytes decide.
  if (file.media_type === "application/octet-stream") return true;
  return !BINARY_MEDIA.test(file.media_type);
}

/** Images a browser shows by itself; an <img> never runs scripts, so SVG is safe to preview too. */
export function isPreviewableImage(file: ArtifactFile): boolean {
  return /^image\/(png|jpeg|gif|webp|avif|svg\+xml)$/.test(file.media_type.split(";")[0] ?? "");
}

/**
 * The bytes as text, or null when they are not UTF-8 text (a NUL byte, or an
 * invalid sequence). A byte-order mark is kept, so writing the text back
 * gives the same bytes.
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.subarray(0, 8192).includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

export type LineEnding = "lf" | "crlf";

/**
 * How a text's lines end, by majority. A textarea hands back every line
 * break as LF whatever it was given, so the editor saves with this ending
 * to leave a CRLF file CRLF.
 */
export function lineEndingOf(text: string): LineEnding {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > lf ? "crlf" : "lf";
}

/** The editor's text with its line breaks as the file had them. */
export function withLineEnding(text: string, ending: LineEnding): string {
  const normalized = text.replace(/\r\n/g, "\n");
  return ending === "crlf" ? normalized.replace(/\n/g, "\r\n") : normalized;
}

export function encodeText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
