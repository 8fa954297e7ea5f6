import pc from "picocolors";
import Table from "cli-table3";

/** The exit codes every command keeps to (docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, attention: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: its message is printed alone (no stack) and the process exits with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
  }
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb; FORCE_COLOR forces it. */
export function colourWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

export const colour = pc.createColors(colourWanted(process.stdout));
export const errColour = pc.createColors(colourWanted(process.stderr));

export function isTerminal(): boolean {
  return Boolean(process.stdout.isTTY);
}

/** Output of one invocation: `--json` or human text. */
export interface Output {
  json: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One object per line, for streams. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function line(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Notes for people (progress, hints) go to stderr, so that stdout stays the result. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`${errColour.yellow("warning:")} ${text}\n`);
}

/**
 * A borderless table: aligned columns that read well on a terminal and
 * still split on whitespace in a pipe.
 */
export function table(head: string[], rows: (string | number | null | undefined)[][]): string {
  const t = new Table({
    head: head.map((h) => colour.bold(h)),
    chars: {
      top: "", "top-mid": "", "top-left": "", "top-right": "",
      bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
      left: "", "left-mid": "", mid: "", "mid-mid": "",
      right: "", "right-mid": "", middle: "  ",
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  for (const row of rows) t.push(row.map((cell) => (cell === null || cell === undefined ? "" : String(cell))));
  return t.toString();
}

export function printTable(head: string[], rows: (string | number | null | undefined)[][], empty = "(none)"): void {
  if (rows.length === 0) {
    line(colour.dim(empty));
    return;
  }
  line(table(head, rows));
}

/** Key/value lines for one object. */
export function printFields(fields: [string, string | number | boolean | null | undefined][]): void {
  const width = Math.max(...fields.map(([key]) => key.length));
  for (const [key, value] of fields) line(`${colour.dim(key.padEnd(width))}  ${value === null || value === undefined ? "" : String(value)}`);
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

export function when(timestamp: string | null | undefined): string {
  return timestamp ? timestamp.replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

export function severityColour(severity: string): string {
  if (severity === "high") return colour.red(severity);
  if (severity === "medium") return colour.yellow(severity);
  return colour.dim(severity);
}
