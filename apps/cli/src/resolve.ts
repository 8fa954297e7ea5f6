import { ARTIFACT_TYPES, PAGE_LIMITS } from "@scriptorium/contract";
import type { Api, RouterOutputs } from "./api";
import { isNotFound } from "./api";
import { CliError, EXIT } from "./output";

export type Collection = RouterOutputs["collections"]["get"];
export type Project = RouterOutputs["projects"]["get"];
export type Artifact = RouterOutputs["artifacts"]["get"];

/** Every item of a paged list, following `next_cursor` to the end. */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    items.push(...answer.items);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

/** A collection by id or by name (names are unique in a workspace). */
export async function resolveCollection(api: Api, ref: string): Promise<Collection> {
  const collections = await allPages((cursor) => api.client.collections.list.query({ limit: PAGE_LIMITS.max, cursor }));
  const found = collections.find((c) => c.id === ref) ?? collections.find((c) => c.name === ref);
  if (!found) throw new CliError(`No collection is called or has the id "${ref}" (see \`scriptorium collections list\`).`, EXIT.failed);
  return found;
}

/** A project by id or by title; a title two projects share is refused, naming their ids. */
export async function resolveProject(api: Api, ref: string): Promise<Project> {
  const projects = await allPages((cursor) => api.client.projects.list.query({ limit: PAGE_LIMITS.max, cursor }));
  const byId = projects.find((p) => p.id === ref);
  if (byId) return byId;
  const byTitle = projects.filter((p) => p.title === ref);
  if (byTitle.length === 1 && byTitle[0]) return byTitle[0];
  if (byTitle.length > 1) {
    throw new CliError(`${byTitle.length} projects are titled "${ref}": give the id of the one you mean (${byTitle.map((p) => p.id).join(", ")}).`, EXIT.usage);
  }
  throw new CliError(`No project is titled or has the id "${ref}" (see \`scriptorium projects list\`).`, EXIT.failed);
}

/**
 * An artifact of a collection by id, by name, or by `type/name` (needed when
 * two types share the name).
 */
export async function resolveArtifact(api: Api, collection: Collection, ref: string): Promise<Artifact> {
  try {
    return await api.client.artifacts.get.query({ collection_id: collection.id, artifact_id: ref });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const slash = ref.indexOf("/");
  const typePrefix = slash > 0 ? ref.slice(0, slash) : "";
  const typed = (ARTIFACT_TYPES as readonly string[]).includes(typePrefix);
  const artifacts = await allPages((cursor) => api.client.artifacts.list.query({ collection_id: collection.id, limit: PAGE_LIMITS.max, cursor }));
  // A name may itself hold a slash: an exact name wins over a type prefix.
  const named = artifacts.filter((a) => a.name === ref);
  const candidates = named.length > 0 || !typed ? named : artifacts.filter((a) => a.type === typePrefix && a.name === ref.slice(slash + 1));
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length > 1) {
    const choices = candidates.map((a) => `${a.type}/${a.name}`).join(", ");
    throw new CliError(`"${ref}" names ${candidates.length} artifacts in ${collection.name}: say which with type/name (${choices}) or give an id.`, EXIT.usage);
  }
  throw new CliError(`${collection.name} has no artifact "${ref}" (see \`scriptorium artifacts ${collection.name}\`).`, EXIT.failed);
}
