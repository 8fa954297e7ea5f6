import { load } from "js-yaml";
import type { ArtifactMetadata } from "@scriptorium/contract";

/** Metadata as read upstream: a field the file does not mention is absent (not null), so it can be kept. */
export type UpstreamMetadata = Partial<ArtifactMetadata>;

export class MetadataError extends Error {
  override name = "MetadataError";
}

const DESCRIPTION_LIMIT = 200;
const FRONT_MATTER = /^---([^\r\n]*)\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function list(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(text).filter((item): item is string => item !== undefined);
  if (typeof value === "string") {
    return value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  }
  return undefined;
}

/** The first line of the body that is neither blank nor a heading, cut to 200 characters. */
function firstBodyLine(body: string): string | undefined {
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line && !line.startsWith("#")) return line.length > DESCRIPTION_LIMIT ? line.slice(0, DESCRIPTION_LIMIT) : line;
  }
  return undefined;
}

/**
 * Reads an artifact's main file: YAML front matter (parsed as data only:
 * js-yaml's default schema never evaluates code, and a `---js` or other
 * non-YAML fence is refused), with the description falling back to the body.
 */
export function parseMetadata(source: string): UpstreamMetadata {
  const content = source.replace(/^\uFEFF/, "");
  const match = FRONT_MATTER.exec(content);
  let data: Record<string, unknown> = {};
  let body = content;
  if (match) {
    const language = (match[1] ?? "").trim().toLowerCase();
    if (language !== "" && language !== "yaml" && language !== "yml") {
      throw new MetadataError(`Front matter must be YAML; "---${language}" front matter is refused.`);
    }
    let parsed: unknown;
    try {
      // js-yaml 4's default schema has no tags that construct code or objects.
      parsed = load(match[2] ?? "", { json: true });
    } catch (error) {
      throw new MetadataError(`Front matter is not valid YAML: ${(error as Error).message.split("\n")[0] ?? "parse error"}`);
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== "object" || Array.isArray(parsed))) {
      throw new MetadataError("Front matter must be a YAML mapping of fields.");
    }
    data = (parsed ?? {}) as Record<string, unknown>;
    body = content.slice(match[0].length);
  } else if (/^---\S/.test(content)) {
    throw new MetadataError(`Front matter must be YAML; "${content.split(/\r?\n/, 1)[0] ?? ""}" front matter is refused.`);
  }

  const metadata: UpstreamMetadata = {};
  const title = text(data.title) ?? text(data.name);
  const description = text(data.description) ?? firstBodyLine(body);
  const author = text(data.author);
  const license = text(data.license);
  const version = text(data.version);
  const tags = list(data.tags);
  const tools = list(data.tools) ?? list(data["allowed-tools"]);
  if (title !== undefined) metadata.title = title;
  if (description !== undefined) metadata.description = description;
  if (author !== undefined) metadata.author = author;
  if (license !== undefined) metadata.license = license;
  if (version !== undefined) metadata.version = version;
  if (tags !== undefined) metadata.tags = tags;
  if (tools !== undefined) metadata.tools = tools;
  return metadata;
}
