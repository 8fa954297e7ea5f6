import { realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { DeployProfile, DeployScope } from "@scriptorium/contract";
import { CliError, EXIT } from "../output";

/** Where a deploy goes: the target's root (a project folder, or the home directory), its profile and scope. */
export interface Target {
  root: string;
  profile: DeployProfile;
  scope: DeployScope;
}

export interface TargetOptions {
  to?: string;
  profile: DeployProfile;
  scope: DeployScope;
}

export async function resolveTarget(options: TargetOptions): Promise<Target> {
  if (options.scope === "user" && options.to !== undefined) {
    throw new CliError("--to and --scope user exclude each other: the user scope is the home directory.", EXIT.usage);
  }
  const given = options.scope === "user" ? homedir() : resolve(options.to ?? process.cwd());
  const info = await stat(given).catch(() => null);
  if (!info) throw new CliError(`${given} does not exist: give an existing folder with --to.`, EXIT.failed);
  if (!info.isDirectory()) throw new CliError(`${given} is not a folder: give the project's folder with --to.`, EXIT.failed);
  // The real path, so that the same folder reached through a link is the same target.
  return { root: await realpath(given), profile: options.profile, scope: options.scope };
}
