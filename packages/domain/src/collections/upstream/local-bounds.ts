import { realpath } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { UpstreamError } from "./upstream-source";

/** Where local sources (and `file://` git repositories) may be read from. */
export interface LocalSourceRules {
  /** Scriptorium's own data directory: never read, nor any folder that holds it. */
  dataDir: string;
  /** When set, local sources must lie inside one of these absolute folders. */
  roots?: readonly string[] | undefined;
}

/**
 * LocalSourceRules with every folder both as configured and by its real
 * path, resolved once per import or refresh: a source is compared by its
 * real path, and the configured folders may be, or lie under, symlinks (or
 * not exist yet, when only the configured path counts).
 */
export interface LocalBounds {
  dataDir: string[];
  /** `listed` as configured, for messages; `paths` adds their real paths. Null: any folder. */
  roots: { listed: readonly string[]; paths: string[] } | null;
}

/** The rules with every folder made absolute, once, against the working directory. */
export function absoluteRules(rules: LocalSourceRules): LocalSourceRules {
  return { dataDir: resolve(rules.dataDir), roots: rules.roots?.map((root) => resolve(root)) };
}

/** The configured folders as they are on disk now: the data directory or a root may be a link, or moved since the last refresh. */
export async function localBounds(rules: LocalSourceRules): Promise<LocalBounds> {
  const asConfiguredAndReal = async (path: string) => [...new Set([path, await realpath(path).catch(() => path)])];
  const roots = rules.roots;
  return {
    dataDir: await asConfiguredAndReal(rules.dataDir),
    roots: roots ? { listed: roots, paths: (await Promise.all(roots.map(asConfiguredAndReal))).flat() } : null,
  };
}

/** True when `path` is `folder` or lies inside it (both absolute and normalised). */
function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

/**
 * Refuses a local path Scriptorium must not read: its own data directory
 * (the embedded database, every workspace's stored copies and git mirrors,
 * `owner.key`), anything in it, and any folder holding it, since importing
 * that folder would walk into it; and, when roots are configured, anything
 * outside them. The messages name only the path the caller gave (`shown`,
 * when `path` is the real path it leads to), never where a link led.
 */
export function ensureAllowed(path: string, bounds: LocalBounds, shown: string = path): void {
  for (const dataDir of bounds.dataDir) {
    if (isWithin(path, dataDir)) throw new UpstreamError(`${shown} lies inside Scriptorium's data directory, which is never read as a source.`);
    if (isWithin(dataDir, path)) throw new UpstreamError(`${shown} holds Scriptorium's data directory, which is never read as a source: add a folder that does not hold it.`);
  }
  if (bounds.roots && !bounds.roots.paths.some((root) => isWithin(path, root))) {
    throw new UpstreamError(`${shown} is outside the folders local sources may be read from (SCRIPTORIUM_LOCAL_ROOTS: ${bounds.roots.listed.join(", ")}).`);
  }
}
