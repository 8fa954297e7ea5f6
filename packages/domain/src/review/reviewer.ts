import { posix } from "node:path";
import { load as loadYaml } from "js-yaml";
import { parse as parseToml } from "smol-toml";
import type { Finding } from "@scriptorium/contract";
import { programsRun, reviewShell, type ShellMatch } from "./shell";
import { ruleOf, type RuleId } from "./rules";

/** Which rules read a file, decided by its path alone (so findings can be cached by content hash and role). */
export type FileRole = "markdown" | "shell" | "json" | "toml" | "yaml" | "package-json" | "script" | "text";

/** Findings of one file without its path: what the cache keeps per content hash and role. */
export type FileFinding = Omit<Finding, "path">;

/** How long one file's review may run before it stops and says so. */
export const REVIEW_TIME_LIMIT_MS = 2_000;
/** Lines longer than this are not read rule by rule: minified or obfuscated text. */
const LONG_LINE = 100_000;

export function roleOf(path: string): FileRole {
  const name = posix.basename(path).toLowerCase();
  if (name === "package.json") return "package-json";
  const extension = posix.extname(name);
  if ([".md", ".markdown", ".mdx"].includes(extension)) return "markdown";
  if ([".sh", ".bash", ".zsh", ".ksh", ".command"].includes(extension)) return "shell";
  if ([".json", ".jsonc"].includes(extension)) return "json";
  if (extension === ".toml") return "toml";
  if ([".yaml", ".yml"].includes(extension)) return "yaml";
  if ([".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".pl", ".php", ".ps1", ".lua"].includes(extension)) return "script";
  return "text";
}

const TEXT_DECODER = new TextDecoder("utf-8", { fatal: true });

/** Compiled programs, by their first bytes. */
const EXECUTABLE_MAGIC: readonly number[][] = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal
  [0x00, 0x61, 0x73, 0x6d], // WebAssembly
];

function isExecutable(content: Buffer): boolean {
  if (EXECUTABLE_MAGIC.some((magic) => magic.every((byte, at) => content[at] === byte))) return true;
  // PE: "MZ", then the PE header where the DOS header points.
  if (content[0] === 0x4d && content[1] === 0x5a && content.length > 0x40) {
    const offset = content.readUInt32LE(0x3c);
    return offset + 4 <= content.length && content.toString("latin1", offset, offset + 4) === "PE\0\0";
  }
  return false;
}

const PROMPT_INJECTION: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|system|original)\s+(?:instructions|prompts?|rules|directions|messages)/i,
  /\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+(?:this\s+|it\s+)?to|alert|notify|let)\s+(?:the\s+)?user\b/i,
  /\bwithout\s+(?:telling|informing|asking|notifying)\s+the\s+user\b/i,
  /\b(?:reveal|print|output|repeat|show|leak|dump)\s+(?:your|the)\s+(?:full\s+|entire\s+|hidden\s+)?(?:system\s+prompt|initial\s+instructions|hidden\s+instructions)/i,
  /\b(?:disregard|ignore|bypass)\s+(?:your|all)\s+(?:safety\s+)?(?:rules|guidelines|restrictions|policies)\b/i,
  /\byou\s+are\s+now\s+(?:in\s+)?(?:developer|jailbreak|dan|god)\s+mode\b/i,
  /\bkeep\s+this\s+(?:secret|hidden)\s+from\s+the\s+user\b/i,
  /\b(?:never|do\s+not|don't)\s+(?:show|reveal|mention|display|report)\b[^.\n]{0,60}\bto\s+the\s+user\b/i,
  /\b(?:hide|conceal)\b[^.\n]{0,40}\bfrom\s+the\s+user\b/i,
];

/** Zero-width characters, bidirectional overrides and isolates, Unicode tags. */
const INVISIBLE = /[\u200b-\u200d\u2060-\u2064\u180e\u202a-\u202e\u2066-\u2069\u{e0000}-\u{e007f}]/u;
/** Runs of base64 (or hex) characters at least this long are encoded blobs. */
const ENCODED_BLOB_CHARS = 400;

/** Where the first long base64 or hex run starts, and its length; a linear scan (a regex over megabytes of one run would backtrack). */
function encodedBlob(text: string): { index: number; length: number } | null {
  let start = 0;
  for (let at = 0; at <= text.length; at += 1) {
    const code = at < text.length ? text.charCodeAt(at) : 0;
    const inRun = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 47;
    if (inRun) continue;
    if (at - start >= ENCODED_BLOB_CHARS && /[0-9+/]/.test(text.slice(start, Math.min(at, start + 4_000)))) return { index: start, length: at - start };
    start = at + 1;
  }
  return null;
}
const RAW_SCRIPT_URL = /https?:\/\/(?:(?:raw\.githubusercontent\.com|gist\.githubusercontent\.com|pastebin\.com\/raw|paste\.[\w.]+\/raw)[^\s)"'<>]*|gist\.github\.com\/[^\s)"'<>]*\/raw[^\s)"'<>]*|[^\s/)"'<>]+\/[^\s)"'<>]*\.(?:sh|ps1|py|bash)(?=[?#\s)"'<>]|$)[^\s)"'<>]*)/i;
const COMMENT = /<!--([\s\S]*?)-->/g;
const COMMENT_COMMAND = /\b(?:curl|wget|bash|sh\s+-c|base64|eval|nc|powershell)\b|https?:\/\/|`[^`\n]+`|~\/\.[\w-]/i;
/** A comment that speaks to the agent… */
const COMMENT_AGENT = /\b(?:assistant|agent|model|claude|llm|ai|system|you|you're|your)\b/i;
/** …and tells it to do something. */
const COMMENT_IMPERATIVE = /\b(?:must|always|never|do\s+not|don't|ignore|instead|secretly|quietly|silently|send|upload|open|read|commit|push|delete|remove|install|execute|run|add)\b/i;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const SHELL_FENCES = new Set(["bash", "sh", "shell", "zsh", "console", "shell-session", "terminal", "ksh"]);

/** Collects one file's findings, and stops adding once the time limit is past. */
class FindingList {
  readonly items: FileFinding[] = [];
  private readonly keys = new Set<string>();
  private readonly deadline = performance.now() + REVIEW_TIME_LIMIT_MS;
  private stopped = false;

  add(ruleId: RuleId, line: number, excerpt: string, message: string): void {
    const key = `${ruleId}:${line}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push({ rule_id: ruleId, severity: ruleOf(ruleId).severity, line, excerpt: excerpt.trim().slice(0, 200), message });
  }

  addShell(matches: ShellMatch[], firstLine: number): void {
    for (const match of matches) this.add(match.ruleId, firstLine + match.line, match.excerpt, match.message);
  }

  /** True (once, with a finding) when the review ran out of time. */
  overTime(): boolean {
    if (this.stopped) return true;
    if (performance.now() <= this.deadline) return false;
    this.stopped = true;
    this.add("file.unreviewable", 0, "", `The review stopped after ${REVIEW_TIME_LIMIT_MS} ms: the file is too large or too complex to read in full.`);
    return true;
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < index; at = text.indexOf("\n", at + 1)) line += 1;
  return line;
}

/** Rules that read any text: invisible characters, encoded blobs, over-long lines. */
function textRules(text: string, list: FindingList): void {
  const invisible = INVISIBLE.exec(text.startsWith("\ufeff") ? ` ${text.slice(1)}` : text);
  if (invisible) {
    const code = invisible[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
    list.add("md.invisible-characters", lineAt(text, invisible.index), `U+${code}`, `An invisible character (U+${code}) hides text from people but not from the model.`);
  }
  const blob = encodedBlob(text);
  if (blob) list.add("content.encoded-blob", lineAt(text, blob.index), `${text.slice(blob.index, blob.index + 60)}…`, `A ${blob.length}-character encoded run.`);
  const lines = text.split("\n");
  const long = lines.findIndex((line) => line.length > LONG_LINE);
  if (long !== -1) list.add("file.unreviewable", long + 1, "", `Line ${long + 1} is ${lines[long]?.length ?? 0} characters long: too long to review as text.`);
}

function markdownRules(text: string, list: FindingList): void {
  for (const pattern of PROMPT_INJECTION) {
    const match = pattern.exec(text);
    if (match) list.add("md.prompt-injection", lineAt(text, match.index), match[0], "Tells the agent to act against its user.");
  }
  for (const comment of text.matchAll(COMMENT)) {
    const body = comment[1] ?? "";
    const injected = PROMPT_INJECTION.some((pattern) => pattern.test(body));
    if (injected || COMMENT_COMMAND.test(body) || (COMMENT_AGENT.test(body) && COMMENT_IMPERATIVE.test(body))) {
      list.add("md.hidden-instructions", lineAt(text, comment.index), body, "An HTML comment holds instructions that readers of the rendered text never see.");
    }
  }
  const link = RAW_SCRIPT_URL.exec(text);
  if (link) list.add("md.raw-script-link", lineAt(text, link.index), link[0], "Links to a raw script outside the artifact.");
  // Fenced shell blocks are read as shell.
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const open = FENCE.exec(lines[index] ?? "");
    if (!open) continue;
    const fence = open[2] ?? "```";
    const language = (open[3] ?? "").toLowerCase();
    const start = index + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? "").trim().startsWith(fence)) end += 1;
    if (SHELL_FENCES.has(language)) {
      const body = lines
        .slice(start, end)
        .map((line) => (language === "console" || language === "shell-session" || language === "terminal" ? line.replace(/^\s*[$#>]\s?/, "") : line))
        .join("\n");
      list.addShell(reviewShell(body), start + 1);
    }
    index = end;
  }
}

// ─── Configs ─────────────────────────────────────────────────────────────────

type Json = unknown;

/** The 1-based line where a string value first appears in the file, or 0. */
function lineOfValue(raw: string, value: string): number {
  const index = raw.indexOf(value);
  return index === -1 ? 0 : lineAt(raw, index);
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: Json): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : typeof value === "string" ? [value] : [];
}

/** Shell-quotes a word for re-reading a command that a config gave as an array. */
function quoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

const TOKEN_FORMATS = /\b(?:ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|gh[ousr]_[A-Za-z0-9]{36}|sk-(?:ant-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36})\b/;
const SECRET_NAME = /token|secret|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth/i;
/** Values that stand for a secret rather than being one: references to the environment, templates, and the usual fill-ins. */
const PLACEHOLDER = /^\s*$|\$\{[^}]+\}|^\$[A-Z_]|^(?:bearer\s+)?\$|^<[^>]*>$|^(?:bearer\s+)?<[^>]*>$|^your[-_ ]|x{4,}|\*{3,}|^\.{3}$|^(?:changeme|change[-_]me|placeholder|replace[-_ ]?me|todo|redacted|none|null|secret|password|token)$|^\{\{.*\}\}$|^env:/i;

function secretIn(name: string, value: string): boolean {
  return TOKEN_FORMATS.test(value) || (SECRET_NAME.test(name) && !PLACEHOLDER.test(value) && value.length >= 8);
}

const REGISTRY_RUNNERS: Record<string, { skip: RegExp; pinned: (spec: string) => boolean }> = {
  npx: { skip: /^-|^--$/, pinned: (spec) => /^(@[^/]+\/)?[^@]+@(?!latest$|next$|\*$)[\w.^~-]+$/.test(spec) },
  bunx: { skip: /^-/, pinned: (spec) => /^(@[^/]+\/)?[^@]+@(?!latest$|next$)[\w.^~-]+$/.test(spec) },
  uvx: { skip: /^-/, pinned: (spec) => /==|@[\w.]+$/.test(spec) },
  pipx: { skip: /^-|^run$/, pinned: (spec) => /==|@[\w.]+$/.test(spec) },
};

function mcpRules(config: Record<string, Json>, raw: string, list: FindingList): void {
  const containers = ["mcpServers", "servers", "mcp_servers", "context_servers"].map((key) => config[key]);
  for (const servers of containers) {
    // Keyed by name (most clients), or a list of servers that carry their own names (some YAML configs).
    const entries: [string, Json][] = Array.isArray(servers)
      ? servers.map((server, at) => [isObject(server) && typeof server.name === "string" ? server.name : `#${at + 1}`, server])
      : isObject(servers)
        ? Object.entries(servers)
        : [];
    for (const [name, server] of entries) {
      if (!isObject(server)) continue;
      const command = typeof server.command === "string" ? server.command : "";
      const args = strings(server.args);
      const line = lineOfValue(raw, `"${name}"`) || lineOfValue(raw, name);
      const runner = REGISTRY_RUNNERS[posix.basename(command)];
      if (runner) {
        const from = args.findIndex((arg) => arg === "--from");
        const spec = from !== -1 ? args[from + 1] : args.find((arg) => !runner.skip.test(arg));
        if (spec && !runner.pinned(spec)) list.add("mcp.unpinned-package", line, [command, ...args].join(" "), `The MCP server "${name}" runs ${spec} without a pinned version.`);
      }
      for (const key of ["url", "serverUrl", "endpoint"]) {
        const url = server[key];
        if (typeof url === "string" && /^http:\/\//i.test(url) && !/^http:\/\/(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)(?:[:/]|$)/i.test(url)) {
          list.add("mcp.plaintext-remote", lineOfValue(raw, url), url, `The MCP server "${name}" is reached over plain HTTP.`);
        }
      }
      for (const key of ["env", "headers"]) {
        const values = server[key];
        if (!isObject(values)) continue;
        for (const [variable, value] of Object.entries(values)) {
          if (typeof value === "string" && secretIn(variable, value)) {
            list.add("mcp.inline-secret", lineOfValue(raw, value), `${variable}=${value.slice(0, 6)}…`, `The MCP server "${name}" carries a literal secret in ${key}.${variable}.`);
          }
        }
      }
      args.forEach((arg, at) => {
        const flag = /^--?([\w-]+)=(.+)$/.exec(arg);
        const [flagName, value] = flag ? [flag[1] ?? "", flag[2] ?? ""] : [(args[at - 1] ?? "").replace(/^--?/, ""), arg];
        if (TOKEN_FORMATS.test(arg) || ((args[at - 1] ?? "").startsWith("-") || flag) && secretIn(flagName, value)) {
          list.add("mcp.inline-secret", lineOfValue(raw, arg), `${arg.slice(0, 12)}…`, `The MCP server "${name}" carries a literal secret in its arguments.`);
        }
      });
      if (command) list.addShell(reviewShell([command, ...args].map(quoted).join(" ")).map((match) => ({ ...match, line: 0 })), line);
    }
  }
}

const TOOL_EVENTS = new Set(["PreToolUse", "PostToolUse", "PostToolUseFailure"]);
const EVERY_TURN_EVENTS = new Set(["UserPromptSubmit", "SessionStart", "Stop", "SubagentStop", "PreCompact"]);
/** A program outside the artifact: in the home folder, above it, or an absolute path other than the system's own tools. */
const OUTSIDE = /^(?:~\/|\$HOME|\$\{HOME\}|\.\.\/|\/(?!(?:usr\/)?(?:local\/)?s?bin\/|opt\/homebrew\/bin\/))/;
const INSIDE_ARTIFACT = /\$\{?CLAUDE_PLUGIN_ROOT\}?|\$\{?CLAUDE_PROJECT_DIR\}?/;

function hookRules(config: Record<string, Json>, raw: string, list: FindingList): void {
  const hooks = config.hooks;
  if (!isObject(hooks)) return;
  for (const [event, entries] of Object.entries(hooks)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (!isObject(entry)) continue;
      const matcher = typeof entry.matcher === "string" ? entry.matcher.trim() : "";
      const everyTool = TOOL_EVENTS.has(event) && ["", "*", ".*"].includes(matcher);
      const broad = everyTool || EVERY_TURN_EVENTS.has(event);
      const commands = (Array.isArray(entry.hooks) ? entry.hooks : [entry]).filter(isObject).flatMap((hook) => strings(hook.command));
      for (const command of commands) {
        const line = lineOfValue(raw, JSON.stringify(command).slice(1, -1)) || lineOfValue(raw, command.split("\n")[0] ?? command);
        list.addShell(reviewShell(command).map((match) => ({ ...match, line: 0 })), line);
        const remote = /\b(?:curl|wget)\b/.test(command) || programsRun(command).some((program) => OUTSIDE.test(program) && !INSIDE_ARTIFACT.test(program));
        if (broad && remote) list.add("hook.broad-remote", line, command, `A ${event} hook on ${everyTool ? "every tool call" : "every turn"} runs code from the network or from outside the artifact.`);
        if (everyTool) list.add("hook.broad-matcher", line, command, `A ${event} hook runs on every tool call.`);
      }
    }
  }
}

function packageRules(config: Record<string, Json>, raw: string, list: FindingList): void {
  const scripts = config.scripts;
  if (!isObject(scripts)) return;
  for (const [name, script] of Object.entries(scripts)) {
    if (typeof script !== "string") continue;
    const line = lineOfValue(raw, `"${name}"`);
    if (["preinstall", "install", "postinstall", "prepare"].includes(name) && name !== "prepare") list.add("file.install-script", line, `${name}: ${script}`, `A ${name} script runs when the package is installed.`);
    list.addShell(reviewShell(script).map((match) => ({ ...match, line: 0 })), line);
  }
}

function configRules(role: "json" | "toml" | "yaml" | "package-json", raw: string, list: FindingList): void {
  let config: Json;
  try {
    if (role === "toml") config = parseToml(raw);
    else if (role === "yaml") config = loadYaml(raw, { json: true });
    else config = JSON.parse(raw.replace(/^\uFEFF/, ""));
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : "it does not parse";
    list.add("file.unreviewable", 0, "", `This ${role === "package-json" ? "package.json" : role.toUpperCase()} file could not be reviewed: ${reason}.`);
    return;
  }
  if (!isObject(config)) return;
  mcpRules(config, raw, list);
  hookRules(config, raw, list);
  if (role === "package-json") packageRules(config, raw, list);
}

/** Credential paths in scripts of other languages, read as text. */
const SCRIPT_CREDENTIALS = /["'`](?:~|\$HOME)?[^"'`\n]*\/\.(?:ssh\/id_|aws\/credentials|config\/gh\/hosts|docker\/config\.json|kube\/config|netrc)[^"'`\n]*["'`]/;

/**
 * Reviews one file's bytes in the role its path gives it. Never throws:
 * what cannot be read is a finding itself, and a review that runs past its
 * time limit stops with one.
 */
export function reviewFile(path: string, content: Buffer): FileFinding[] {
  const list = new FindingList();
  try {
    reviewInto(list, path, content);
  } catch {
    // A rule that cannot cope with this input (a regex out of stack on a pathological line): the file is reported, never the process.
    list.add("file.unreviewable", 0, "", "The review could not read this file to the end.");
  }
  return list.items;
}

function reviewInto(list: FindingList, path: string, content: Buffer): void {
  const role = roleOf(path);
  if (isExecutable(content)) {
    list.add("file.executable-binary", 0, "", "A compiled program inside the artifact.");
    return;
  }
  let text: string;
  try {
    if (content.subarray(0, 8_000).includes(0)) throw new Error("binary");
    text = TEXT_DECODER.decode(content);
  } catch {
    if (role === "text") list.add("file.binary", 0, "", "A binary file: its content cannot be reviewed as text.");
    else list.add("file.unreviewable", 0, "", "Not valid UTF-8 text, though its name says it is text.");
    return;
  }
  textRules(text, list);
  if (list.overTime()) return;
  const shebang = /^#!.*\b(?:ba|z|k|da)?sh\b/.test(text);
  if (role === "shell" || shebang) list.addShell(reviewShell(text), 1);
  else if (role === "markdown") markdownRules(text, list);
  else if (role === "json" || role === "toml" || role === "yaml" || role === "package-json") configRules(role, text, list);
  else if (role === "script") {
    const match = SCRIPT_CREDENTIALS.exec(text);
    if (match) list.add("secrets.credential-files", lineAt(text, match.index), match[0], "Reads the user's credentials.");
  }
  list.overTime();
}
