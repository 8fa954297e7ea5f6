import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
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
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
