import { InvalidArgumentError, type Command } from "commander";
import { connect, type Api } from "./api";
import type { ExitCode } from "./output";

/** What every command's action gets: how to print, and the server (connected on first use). */
export interface Ctx {
  json: boolean;
  api(): Promise<Api>;
}

/**
 * Adapts a command's function to commander's action: commander passes the
 * positional arguments, then the options, then the command itself. The
 * function's answer is the exit code (default 0); failures are thrown and
 * handled once, in cli.ts.
 */
export function act<A extends unknown[]>(fn: (ctx: Ctx, ...args: A) => Promise<ExitCode | void>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args.at(-1) as Command;
    let api: Promise<Api> | undefined;
    const ctx: Ctx = { json: Boolean(command.optsWithGlobals().json), api: () => (api ??= connect()) };
    const code = await fn(ctx, ...(args.slice(0, -1) as A));
    process.exitCode = code ?? 0;
  };
}

/** Commander parser for whole numbers, so that `--words ten` is a usage error. */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidNumber(value);
  return Number(value);
}

class InvalidNumber extends InvalidArgumentError {
  constructor(value: string) {
    super(`"${value}" is not a whole number.`);
  }
}

export function commaList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((part) => part.trim()).filter(Boolean)];
}
