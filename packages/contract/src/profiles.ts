import { z } from "zod";
import type { ArtifactType } from "./collections";

/**
 * Deployment profiles: where each agent tool reads each artifact type.
 *
 * One table of data (`PROFILES`) drives both the server's `?profile=` bundle
 * and the command line's `deploy`, through one function (`layoutArtifact`):
 * adding a tool is adding rows. Every path is relative to the target's root
 * (the project folder, or the home directory for the `user` scope), always
 * `/`-separated. Sources for each row are in docs/deployments.md.
 */

export const DEPLOY_PROFILES = ["claude_code", "codex", "cursor", "gemini"] as const;
export const DeployProfile = z.enum(DEPLOY_PROFILES).meta({ id: "DeployProfile", description: "the agent tool a target is laid out for" });
export type DeployProfile = z.infer<typeof DeployProfile>;

export const DEPLOY_SCOPES = ["project", "user"] as const;
export const DeployScope = z
  .enum(DEPLOY_SCOPES)
  .meta({ id: "DeployScope", description: "project: the folder given (default: the current one); user: the home directory" });
export type DeployScope = z.infer<typeof DeployScope>;

/** How one artifact type is placed for one profile and scope. */
export type Placement =
  /** Every file of the artifact under `<dir>/<name>/`; a single `.md` file becomes `<dir>/<name>/<singleFile>`. */
  | { kind: "folder"; dir: string; singleFile?: string }
  /** The artifact's one file as `<dir>/<name><ext>`, converted where the tool reads another format. */
  | { kind: "file"; dir: string; ext: ".md" | ".toml"; convert?: "gemini_command" }
  /** Scripts under `<scriptsDir>/<name>/`, the hook definitions merged into `settingsFile` under `hooks`. */
  | { kind: "hook"; scriptsDir: string; settingsFile: string }
  /** The server definition merged into `file` under `<key>.<name>`. */
  | { kind: "mcp"; file: string; format: "json" | "toml"; key: string; dialect: McpDialect }
  /** The tool has no place for this type in this scope; `reason` says what to do instead. */
  | { kind: "refused"; reason: string };

/** Which spelling of an MCP server definition a tool reads. */
export type McpDialect = "claude" | "codex" | "cursor" | "gemini";

export interface ProfileDefinition {
  /** The tool's own folder: the lock file and backups live here. */
  folder: string;
  /** What people call the tool, for messages. */
  title: string;
  placements: Record<ArtifactType, { project: Placement; user: Placement }>;
}

function bothScopes(placement: Placement): { project: Placement; user: Placement } {
  return { project: placement, user: placement };
}

function noPlace(title: string, type: ArtifactType): { project: Placement; user: Placement } {
  return bothScopes({ kind: "refused", reason: `${title} has no place for ${type} artifacts` });
}

export const PROFILES: Record<DeployProfile, ProfileDefinition> = {
  claude_code: {
    folder: ".claude",
    title: "Claude Code",
    placements: {
      skill: bothScopes({ kind: "folder", dir: ".claude/skills", singleFile: "SKILL.md" }),
      command: bothScopes({ kind: "file", dir: ".claude/commands", ext: ".md" }),
      agent: bothScopes({ kind: "file", dir: ".claude/agents", ext: ".md" }),
      hook: bothScopes({ kind: "hook", scriptsDir: ".claude/hooks", settingsFile: ".claude/settings.json" }),
      mcp: {
        project: { kind: "mcp", file: ".mcp.json", format: "json", key: "mcpServers", dialect: "claude" },
        user: { kind: "mcp", file: ".claude.json", format: "json", key: "mcpServers", dialect: "claude" },
      },
      workflow: bothScopes({ kind: "folder", dir: ".claude/workflows" }),
    },
  },
  codex: {
    folder: ".codex",
    title: "Codex",
    placements: {
      skill: bothScopes({ kind: "folder", dir: ".agents/skills", singleFile: "SKILL.md" }),
      command: {
        project: { kind: "refused", reason: "Codex reads custom prompts only from ~/.codex/prompts: deploy commands with --scope user" },
        user: { kind: "file", dir: ".codex/prompts", ext: ".md" },
      },
      agent: noPlace("Codex", "agent"),
      hook: noPlace("Codex", "hook"),
      mcp: bothScopes({ kind: "mcp", file: ".codex/config.toml", format: "toml", key: "mcp_servers", dialect: "codex" }),
      workflow: noPlace("Codex", "workflow"),
    },
  },
  cursor: {
    folder: ".cursor",
    title: "Cursor",
    placements: {
      skill: bothScopes({ kind: "folder", dir: ".cursor/skills", singleFile: "SKILL.md" }),
      command: bothScopes({ kind: "file", dir: ".cursor/commands", ext: ".md" }),
      agent: noPlace("Cursor", "agent"),
      hook: noPlace("Cursor", "hook"),
      mcp: bothScopes({ kind: "mcp", file: ".cursor/mcp.json", format: "json", key: "mcpServers", dialect: "cursor" }),
      workflow: noPlace("Cursor", "workflow"),
    },
  },
  gemini: {
    folder: ".gemini",
    title: "Gemini CLI",
    placements: {
      skill: bothScopes({ kind: "folder", dir: ".gemini/skills", singleFile: "SKILL.md" }),
      command: bothScopes({ kind: "file", dir: ".gemini/commands", ext: ".toml", convert: "gemini_command" }),
      agent: noPlace("Gemini CLI", "agent"),
      hook: noPlace("Gemini CLI", "hook"),
      mcp: bothScopes({ kind: "mcp", file: ".gemini/settings.json", format: "json", key: "mcpServers", dialect: "gemini" }),
      workflow: noPlace("Gemini CLI", "workflow"),
    },
  },
};

/** Where a target keeps its lock file, relative to the target's root. */
export function lockFilePath(profile: DeployProfile): string {
  return `${PROFILES[profile].folder}/scriptorium.lock.json`;
}

/** The folder under which local files are saved before they are overwritten or removed. */
export function backupFolder(profile: DeployProfile): string {
  return `${PROFILES[profile].folder}/.scriptorium/backup`;
}

/** The file that lists, in a `?profile=` bundle, what a deploy would merge into settings. */
export const MERGE_MANIFEST_NAME = "scriptorium-merge.json";

/** An artifact as the layout reads it. */
export interface LayoutInput {
  profile: DeployProfile;
  scope: DeployScope;
  type: ArtifactType;
  name: string;
  /** The artifact's metadata description (a converted command carries it). */
  description?: string | null;
  files: { path: string; content: Uint8Array; executable?: boolean }[];
  /**
   * The absolute root of a `user`-scope target (the home directory): hook
   * commands point at scripts by absolute path there. Without it, `$HOME`
   * stands in, which shells expand the same way.
   */
  userRoot?: string;
}

/** One file a deploy writes, and the artifact file it comes from. */
export interface PlacedFile {
  path: string;
  content: Uint8Array;
  source: string;
  /** Whether `content` is the source file's bytes unchanged (so its blob is the three-way base). */
  verbatim: boolean;
  executable: boolean;
}

/**
 * One entry merged into a settings file: `set` puts `value` at `pointer`
 * (an object key path); `append` adds `value` to the array at `pointer`.
 * Undeploy removes exactly what was added: the key, or the equal element.
 */
export interface MergeEntry {
  file: string;
  format: "json" | "toml";
  pointer: string[];
  mode: "set" | "append";
  value: unknown;
}

export interface ArtifactLayout {
  files: PlacedFile[];
  merges: MergeEntry[];
}

/** Why an artifact cannot be laid out for a profile: shown to the user as is. */
export class LayoutRefusal extends Error {
  override readonly name = "LayoutRefusal";
}

const textDecoder = new TextDecoder("utf-8", { fatal: false });
const textEncoder = new TextEncoder();

/** Lays out one artifact's files and settings entries for a profile and scope. */
export function layoutArtifact(input: LayoutInput): ArtifactLayout {
  const definition = PROFILES[input.profile];
  const placement = definition.placements[input.type][input.scope];
  const label = `${input.type} '${input.name}'`;
  switch (placement.kind) {
    case "refused":
      throw new LayoutRefusal(`${label}: ${placement.reason} (profile ${input.profile}, ${input.scope} scope)`);
    case "folder":
      return { files: folderFiles(input, placement), merges: [] };
    case "file":
      return { files: [singleFile(input, placement, label)], merges: [] };
    case "hook":
      return hookLayout(input, placement, label);
    case "mcp":
      return { files: [], merges: [mcpMerge(input, placement, label)] };
  }
}

function folderFiles(input: LayoutInput, placement: Extract<Placement, { kind: "folder" }>): PlacedFile[] {
  const base = `${placement.dir}/${input.name}`;
  const only = input.files.length === 1 ? input.files[0] : undefined;
  if (only && placement.singleFile && !only.path.includes("/") && only.path.toLowerCase().endsWith(".md")) {
    return [{ path: `${base}/${placement.singleFile}`, content: only.content, source: only.path, verbatim: true, executable: only.executable ?? false }];
  }
  return input.files.map((file) => ({ path: `${base}/${file.path}`, content: file.content, source: file.path, verbatim: true, executable: file.executable ?? false }));
}

function singleFile(input: LayoutInput, placement: Extract<Placement, { kind: "file" }>, label: string): PlacedFile {
  if (input.files.length !== 1) {
    const names = input.files.map((file) => file.path).join(", ");
    throw new LayoutRefusal(`${label} holds ${input.files.length} files (${names}); ${input.type} artifacts deploy as one file`);
  }
  const [file] = input.files as [LayoutInput["files"][number]];
  const path = `${placement.dir}/${input.name}${placement.ext}`;
  if (placement.convert === "gemini_command") {
    return { path, content: textEncoder.encode(geminiCommand(textDecoder.decode(file.content), input.description)), source: file.path, verbatim: false, executable: false };
  }
  return { path, content: file.content, source: file.path, verbatim: true, executable: file.executable ?? false };
}

/** A Markdown prompt (front matter, `$ARGUMENTS`) as a Gemini CLI command file (`description`, `prompt`, `{{args}}`). */
function geminiCommand(markdown: string, description: string | null | undefined): string {
  const body = markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, "").replaceAll("$ARGUMENTS", "{{args}}");
  // A JSON string literal is a valid TOML basic string: the same escapes, nothing more.
  const lines = description ? [`description = ${JSON.stringify(description)}`] : [];
  lines.push(`prompt = ${JSON.stringify(body)}`);
  return `${lines.join("\n")}\n`;
}

/** Names of the files an MCP artifact may define its server in, in the order they are looked for. */
const MCP_FILES = [".mcp.json", "mcp.json"];
/** Where a hook artifact's definitions may be, in the order they are looked for. */
const HOOK_FILES = ["hooks.json", "hooks/hooks.json"];

function parseJson(file: { path: string; content: Uint8Array }, label: string): unknown {
  try {
    return JSON.parse(textDecoder.decode(file.content)) as unknown;
  } catch (error) {
    throw new LayoutRefusal(`${label}: ${file.path} is not valid JSON (${(error as Error).message})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads an MCP artifact's server definition: `{ mcpServers: { … } }` (the entry named like the artifact, else the only one) or a bare server object. */
export function readMcpServer(input: Pick<LayoutInput, "name" | "files" | "type">, label = `mcp '${input.name}'`): Record<string, unknown> {
  const file = MCP_FILES.map((name) => input.files.find((candidate) => candidate.path === name)).find(Boolean) ??
    (input.files.length === 1 && input.files[0]?.path.endsWith(".json") ? input.files[0] : undefined);
  if (!file) throw new LayoutRefusal(`${label}: no .mcp.json or mcp.json holding { "mcpServers": { … } } among its files`);
  const document = parseJson(file, label);
  if (!isRecord(document)) throw new LayoutRefusal(`${label}: ${file.path} does not hold a JSON object`);
  if (isRecord(document.mcpServers)) {
    const servers = document.mcpServers;
    const names = Object.keys(servers);
    const chosen = input.name in servers ? input.name : names.length === 1 ? names[0] : undefined;
    if (chosen === undefined) {
      throw new LayoutRefusal(`${label}: ${file.path} defines ${names.length} servers (${names.join(", ") || "none"}) and none is named '${input.name}'`);
    }
    const server = servers[chosen];
    if (!isRecord(server)) throw new LayoutRefusal(`${label}: server '${chosen}' in ${file.path} is not an object`);
    return server;
  }
  if (typeof document.command === "string" || typeof document.url === "string") return document;
  throw new LayoutRefusal(`${label}: ${file.path} holds neither "mcpServers" nor a server with "command" or "url"`);
}

/** A server definition in the spelling a tool reads. */
function mcpInDialect(server: Record<string, unknown>, dialect: McpDialect): Record<string, unknown> {
  if (dialect === "claude" || dialect === "cursor") return server;
  const { type, headers, url, ...rest } = server;
  if (dialect === "codex") {
    // Codex tells stdio from HTTP servers by their keys, and calls headers `http_headers`.
    return { ...rest, ...(url === undefined ? {} : { url }), ...(headers === undefined ? {} : { http_headers: headers }) };
  }
  // Gemini CLI: `httpUrl` for streamable HTTP, `url` for SSE.
  const remote = url === undefined ? {} : type === "sse" ? { url } : { httpUrl: url };
  return { ...rest, ...remote, ...(headers === undefined ? {} : { headers }) };
}

function mcpMerge(input: LayoutInput, placement: Extract<Placement, { kind: "mcp" }>, label: string): MergeEntry {
  const server = mcpInDialect(readMcpServer(input, label), placement.dialect);
  return { file: placement.file, format: placement.format, pointer: [placement.key, input.name], mode: "set", value: server };
}

/** A hook group as Claude Code's settings hold it: `{ matcher?, hooks: [ { type, command, … } ] }`. */
interface HookGroup {
  matcher?: string;
  hooks: Record<string, unknown>[];
}

function hookLayout(input: LayoutInput, placement: Extract<Placement, { kind: "hook" }>, label: string): ArtifactLayout {
  const definitionFile = HOOK_FILES.map((name) => input.files.find((file) => file.path === name)).find(Boolean);
  if (!definitionFile) throw new LayoutRefusal(`${label}: no hooks.json (Claude Code's settings shape, { "hooks": { "PreToolUse": [ … ] } }) among its files`);
  const document = parseJson(definitionFile, label);
  const events = isRecord(document) && isRecord(document.hooks) ? document.hooks : undefined;
  if (!events) throw new LayoutRefusal(`${label}: ${definitionFile.path} has no "hooks" object`);

  const scripts = input.files.filter((file) => file !== definitionFile);
  const scriptsBase = `${placement.scriptsDir}/${input.name}`;
  const deployedScript = (script: string): string => {
    const relative = `${scriptsBase}/${script}`;
    if (input.scope === "project") return `"$CLAUDE_PROJECT_DIR"/${shellPath(relative)}`;
    return input.userRoot === undefined ? `"$HOME"/${shellPath(relative)}` : shellPath(`${input.userRoot}/${relative}`);
  };
  const rewrite = commandRewriter(scripts.map((file) => file.path), deployedScript);

  const merges: MergeEntry[] = [];
  for (const [event, groups] of Object.entries(events).sort(([a], [b]) => a.localeCompare(b))) {
    if (!Array.isArray(groups)) throw new LayoutRefusal(`${label}: hooks.${event} in ${definitionFile.path} is not a list`);
    for (const group of groups) {
      if (!isRecord(group) || !Array.isArray(group.hooks)) throw new LayoutRefusal(`${label}: an entry of hooks.${event} has no "hooks" list`);
      const hooks = group.hooks.map((hook) => {
        if (!isRecord(hook)) throw new LayoutRefusal(`${label}: a hook of hooks.${event} is not an object`);
        return typeof hook.command === "string" ? { ...hook, command: rewrite(hook.command) } : hook;
      });
      const placed: HookGroup = { ...(group as unknown as HookGroup), hooks };
      merges.push({ file: placement.settingsFile, format: "json", pointer: ["hooks", event], mode: "append", value: placed });
    }
  }
  const files = scripts.map((file) => ({ path: `${scriptsBase}/${file.path}`, content: file.content, source: file.path, verbatim: true, executable: file.executable ?? false }));
  return { files, merges };
}

/** A path for a shell command line: quoted when it holds anything a shell would split or expand. */
function shellPath(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'"'"'`)}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Rewrites a hook command so that each script of the artifact it names
 * (`scripts/check.sh`, `./check.sh`, `${CLAUDE_PLUGIN_ROOT}/scripts/check.sh`)
 * points at the deployed copy.
 */
function commandRewriter(scriptPaths: string[], deployedScript: (script: string) => string): (command: string) => string {
  if (scriptPaths.length === 0) return (command) => command;
  // Longest first, so `scripts/a.sh.bak` is not taken for `scripts/a.sh`.
  const alternatives = [...scriptPaths].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|");
  const prefix = String.raw`(?:"?\$\{?CLAUDE_PLUGIN_ROOT\}?"?/|\./)?`;
  // A script path quoted on its own ("./check.sh") loses its quotes: the new path brings its own.
  const pattern = new RegExp(String.raw`(^|[\s=;&|(])(["']?)${prefix}(${alternatives})\2(?=$|[\s;&|)])`, "g");
  return (command) => command.replace(pattern, (_match, lead: string, _quote: string, script: string) => `${lead}${deployedScript(script)}`);
}

/**
 * `scriptorium-merge.json` in a `?profile=` bundle: the settings entries a
 * deploy would merge, per artifact, and the artifacts the profile has no
 * place for (with the reason).
 */
export interface MergeManifest {
  format: "scriptorium-merge/1";
  profile: DeployProfile;
  scope: DeployScope;
  merges: (MergeEntry & { artifact_id: string })[];
  skipped: { artifact_id: string; type: ArtifactType; name: string; reason: string }[];
}
