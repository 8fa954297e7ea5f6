import { join } from "node:path";
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { linesOf } from "@scriptorium/contract";
import { readLocal, sha256 } from "./files";

/**
 * Settings files that deploys merge entries into (`.mcp.json`,
 * `.claude/settings.json`, `~/.claude.json`, `.cursor/mcp.json`,
 * `.gemini/settings.json`, `.codex/config.toml`). Everything of the user's
 * stays as it is: JSON files are rewritten with their own indentation and
 * every other key in its place; a TOML file keeps its bytes, and only the
 * table Scriptorium appended is added or cut out again.
 */

/** A path of object keys from a settings file's root. */
export type Pointer = string[];

/** A settings file Scriptorium cannot merge into: the message names it; nothing is written. */
export class SettingsProblem extends Error {}

/** JSON with every object's keys sorted and no spaces: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** How an entry's value is recognised in a settings file and in the lock. */
export function valueHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(document: unknown, pointer: Pointer): unknown {
  let current = document;
  for (const key of pointer) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function shown(pointer: Pointer): string {
  return pointer.join(".");
}

export interface SettingsFile {
  /** Relative to the target's root, as the lock names it. */
  readonly file: string;
  readonly path: string;
  readonly format: "json" | "toml";
  get(pointer: Pointer): unknown;
  /** Puts `value` at `pointer`; answers the containers that had to be made (`[]`: the file). */
  set(pointer: Pointer, value: unknown): Pointer[];
  remove(pointer: Pointer): void;
  /** Adds `value` to the list at `pointer`; answers the containers that had to be made. */
  append(pointer: Pointer, value: unknown): Pointer[];
  /** Removes the first element of the list at `pointer` whose value hash is `hash`; false when there is none. */
  removeElement(pointer: Pointer, hash: string): boolean;
  hasElement(pointer: Pointer, hash: string): boolean;
  /** Removes the container at `pointer` (`[]`: the file) when it is empty; false when it still holds something. */
  removeIfEmpty(pointer: Pointer): boolean;
  /** The text to write; null when the file is to be removed. */
  text(): string | null;
  /** The bytes the file had when it was read; null when there was no file. */
  readonly original: Buffer | null;
}

export async function loadSettings(root: string, file: string, format: "json" | "toml"): Promise<SettingsFile> {
  const path = join(root, file);
  const original = await readLocal(path);
  return format === "json" ? new JsonSettings(file, path, original) : new TomlSettings(file, path, original);
}

class JsonSettings implements SettingsFile {
  readonly format = "json";
  private document: Record<string, unknown>;
  private removed = false;
  /** The file's own indentation and final newline, kept when it is written back. */
  private readonly indent: string;
  private readonly finalNewline: boolean;

  constructor(
    readonly file: string,
    readonly path: string,
    readonly original: Buffer | null,
  ) {
    const text = original?.toString("utf8") ?? null;
    if (text === null) {
      this.document = {};
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new SettingsProblem(`${path} is not valid JSON (${(error as Error).message}); fix it first: Scriptorium never overwrites it.`);
      }
      if (!isObject(parsed)) throw new SettingsProblem(`${path} does not hold a JSON object; fix it first: Scriptorium never overwrites it.`);
      this.document = parsed;
    }
    this.indent = /\n([ \t]+)\S/.exec(text ?? "")?.[1] ?? "  ";
    this.finalNewline = text === null || text.endsWith("\n");
  }

  get(pointer: Pointer): unknown {
    return at(this.document, pointer);
  }

  /** The object at `pointer`, made where missing; `created` collects what was made. */
  private container(pointer: Pointer, created: Pointer[]): Record<string, unknown> {
    if (this.original === null && this.claimFile()) created.push([]);
    let current = this.document;
    for (let depth = 0; depth < pointer.length; depth++) {
      const key = pointer[depth] as string;
      if (!Object.hasOwn(current, key)) {
        current[key] = {};
        created.push(pointer.slice(0, depth + 1));
      }
      const next = current[key];
      if (!isObject(next)) throw new SettingsProblem(`${this.path}: ${shown(pointer.slice(0, depth + 1))} is not an object, so nothing can be merged under it; fix it first.`);
      current = next;
    }
    return current;
  }

  private fileClaimed = false;
  /** The first entry merged into a file that did not exist made it. */
  private claimFile(): boolean {
    if (this.fileClaimed) return false;
    this.fileClaimed = true;
    return true;
  }

  set(pointer: Pointer, value: unknown): Pointer[] {
    const created: Pointer[] = [];
    const parent = this.container(pointer.slice(0, -1), created);
    parent[pointer.at(-1) as string] = value;
    this.removed = false;
    return created;
  }

  remove(pointer: Pointer): void {
    const parent = at(this.document, pointer.slice(0, -1));
    if (isObject(parent)) delete parent[pointer.at(-1) as string];
  }

  append(pointer: Pointer, value: unknown): Pointer[] {
    const created: Pointer[] = [];
    const parent = this.container(pointer.slice(0, -1), created);
    const key = pointer.at(-1) as string;
    if (!Object.hasOwn(parent, key)) {
      parent[key] = [];
      created.push(pointer);
    }
    const list = parent[key];
    if (!Array.isArray(list)) throw new SettingsProblem(`${this.path}: ${shown(pointer)} is not a list, so nothing can be added to it; fix it first.`);
    list.push(value);
    this.removed = false;
    return created;
  }

  private list(pointer: Pointer): unknown[] | null {
    const list = at(this.document, pointer);
    return Array.isArray(list) ? list : null;
  }

  hasElement(pointer: Pointer, hash: string): boolean {
    return (this.list(pointer) ?? []).some((element) => valueHash(element) === hash);
  }

  removeElement(pointer: Pointer, hash: string): boolean {
    const list = this.list(pointer);
    const index = list?.findIndex((element) => valueHash(element) === hash) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  removeIfEmpty(pointer: Pointer): boolean {
    if (pointer.length === 0) {
      if (Object.keys(this.document).length > 0) return false;
      this.removed = true;
      return true;
    }
    const value = at(this.document, pointer);
    if (value === undefined) return true;
    const empty = Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0;
    if (!empty) return false;
    this.remove(pointer);
    return true;
  }

  text(): string | null {
    if (this.removed) return null;
    return `${JSON.stringify(this.document, null, this.indent)}${this.finalNewline ? "\n" : ""}`;
  }
}

/** TOML keeps the user's bytes: entries are tables appended at the end, and cut out again by their header. */
class TomlSettings implements SettingsFile {
  readonly format = "toml";
  private current: string;
  private removed = false;
  private fileClaimed = false;

  constructor(
    readonly file: string,
    readonly path: string,
    readonly original: Buffer | null,
  ) {
    this.current = original?.toString("utf8") ?? "";
    this.parsed();
  }

  private parsed(text = this.current): Record<string, unknown> {
    try {
      return parseToml(text) as Record<string, unknown>;
    } catch (error) {
      const first = (error as Error).message.split("\n")[0] ?? "";
      throw new SettingsProblem(`${this.path} is not valid TOML (${first}); fix it first: Scriptorium never overwrites it.`);
    }
  }

  get(pointer: Pointer): unknown {
    return at(this.parsed(), pointer);
  }

  /** The table header smol-toml writes for `pointer`, e.g. `mcp_servers."my server"`. */
  private static dottedKey(pointer: Pointer): string {
    const nested = pointer.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), { probe: 1 });
    return (stringifyToml(nested).split("\n")[0] ?? "").slice(1, -1);
  }

  set(pointer: Pointer, value: unknown): Pointer[] {
    if (!isObject(value)) throw new SettingsProblem(`${this.path}: only tables are merged into TOML files, and ${shown(pointer)} is not one.`);
    if (this.get(pointer) !== undefined) this.remove(pointer);
    const dotted = TomlSettings.dottedKey(pointer);
    const nested = pointer.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
    let block = stringifyToml(nested);
    // A table of tables only gets no header of its own from smol-toml; give it one, so that it can be found and cut out again.
    if (!block.startsWith(`[${dotted}]\n`)) block = `[${dotted}]\n${block}`;
    const separator = this.current === "" ? "" : this.current.endsWith("\n") ? "\n" : "\n\n";
    const next = `${this.current}${separator}${block}`;
    if (canonicalJson(at(this.parsed(next), pointer)) !== canonicalJson(value)) {
      throw new SettingsProblem(`${this.path}: adding [${dotted}] would not give a valid TOML file with that table; fix the file first.`);
    }
    const created: Pointer[] = this.original === null && !this.fileClaimed ? [[]] : [];
    this.fileClaimed = true;
    this.current = next;
    this.removed = false;
    return created;
  }

  remove(pointer: Pointer): void {
    if (this.get(pointer) === undefined) return;
    const dotted = TomlSettings.dottedKey(pointer);
    const lines = linesOf(this.current);
    const start = lines.findIndex((line) => line.trim() === `[${dotted}]`);
    const cannot = `${this.path}: [${dotted}] was changed by hand in a way Scriptorium cannot cut out cleanly; remove it yourself.`;
    if (start < 0) throw new SettingsProblem(cannot);
    let end = start + 1;
    for (; end < lines.length; end++) {
      const line = (lines[end] as string).trim();
      if (line.startsWith("[") && !line.startsWith(`[${dotted}.`) && !line.startsWith(`[[${dotted}.`)) break;
    }
    // Blank lines and comments before the next table belong to it.
    while (end > start + 1 && /^(#|$)/.test((lines[end - 1] as string).trim())) end--;
    // The blank line that set() put before the table goes with it.
    const from = start > 0 && (lines[start - 1] as string).trim() === "" ? start - 1 : start;
    const next = [...lines.slice(0, from), ...lines.slice(end)].join("");
    const before = this.parsed();
    const after = this.parsed(next);
    const parent = at(before, pointer.slice(0, -1));
    if (isObject(parent)) delete parent[pointer.at(-1) as string];
    // Nothing but that table may have gone.
    const emptied = pointer.length > 1 && isObject(parent) && Object.keys(parent).length === 0;
    if (emptied) delete (at(before, pointer.slice(0, -2)) as Record<string, unknown>)[pointer.at(-2) as string];
    if (canonicalJson(after) !== canonicalJson(before)) throw new SettingsProblem(cannot);
    this.current = next;
  }

  append(pointer: Pointer): Pointer[] {
    throw new SettingsProblem(`${this.path}: entries are not added to lists in TOML files (${shown(pointer)}).`);
  }

  hasElement(): boolean {
    return false;
  }

  removeElement(): boolean {
    return false;
  }

  removeIfEmpty(pointer: Pointer): boolean {
    if (pointer.length > 0) return this.get(pointer) === undefined;
    if (this.current.trim() !== "") return false;
    this.removed = true;
    return true;
  }

  text(): string | null {
    return this.removed ? null : this.current;
  }
}
