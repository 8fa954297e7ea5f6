import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError, EXIT } from "./output";

export interface Connection {
  url: string;
  key: string;
}

/** `$XDG_CONFIG_HOME/scriptorium/config.json`, or `~/.config/scriptorium/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith("/") ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "scriptorium", "config.json");
}

async function readSaved(path: string): Promise<Partial<Connection>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`, EXIT.failed);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Connection>;
    return { url: typeof parsed.url === "string" ? parsed.url : undefined, key: typeof parsed.key === "string" ? parsed.key : undefined };
  } catch {
    throw new CliError(`${path} is not valid JSON: run \`scriptorium login\` again.`, EXIT.failed);
  }
}

/** The server and key to use: SCRIPTORIUM_URL / SCRIPTORIUM_KEY first, then the saved login. */
export async function loadConnection(env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const saved = await readSaved(configPath(env));
  const url = env.SCRIPTORIUM_URL || saved.url;
  const key = env.SCRIPTORIUM_KEY || saved.key;
  if (!url || !key) {
    throw new CliError("Not logged in: run `scriptorium login --url URL --key KEY`, or set SCRIPTORIUM_URL and SCRIPTORIUM_KEY.", EXIT.failed);
  }
  return { url: normaliseUrl(url), key };
}

export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`${url} is not a URL: give the server's address, e.g. http://127.0.0.1:3000`, EXIT.usage);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError(`${url}: the server's URL starts with http:// or https://`, EXIT.usage);
  return url.replace(/\/+$/, "");
}

/**
 * Saves the login readable by its owner alone (the key is a secret): the
 * folder 0700, the file 0600, written beside and renamed over the old one so
 * that a failed write never leaves half a file.
 */
export async function saveConnection(connection: Connection, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await chmod(dirname(path), 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

export async function removeConnection(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; removed: boolean }> {
  const path = configPath(env);
  const existed = existsSync(path);
  await rm(path, { force: true });
  return { path, removed: existed };
}
