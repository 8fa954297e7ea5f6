import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Service {
  url: string;
  child: ChildProcess;
  /** Resident memory of the process, in MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

function residentMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

/** Starts a process that prints `ready at <url>` and waits for that line. */
export async function startService(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Service> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const stdout = child.stdout;
  if (!stdout) throw new Error("no stdout pipe");
  let seen = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${seen}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}:\n${seen}`)));
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        stdout.off("data", onData);
        resolve(match[1]);
      }
    };
    stdout.on("data", onData);
  });
  // Keep draining the output (request logs) so the process never blocks on a full pipe.
  stdout.resume();
  return {
    url,
    child,
    rssMiB: () => residentMiB(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
