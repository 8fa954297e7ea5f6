import { PAGE_LIMITS } from "@scriptorium/contract";
import { isNotFound, ServerAnswer, type Api } from "../api";
import { CliError, EXIT } from "../output";
import { allPages, type Artifact } from "../resolve";
import { sha256 } from "./files";

/** What deploys read from the collection: artifacts, their files' bytes, and earlier versions by hash. */

export interface FetchedFile {
  path: string;
  content: Buffer;
  sha256: string;
  executable: boolean;
}

export interface FetchedArtifact {
  artifact: Artifact;
  files: FetchedFile[];
}

/** Files fetched at the same time; enough to hide the round trips, few enough to be gentle with the server. */
const PARALLEL_FETCHES = 8;

function collectionPath(collectionId: string): string {
  return `/api/v1/collections/${encodeURIComponent(collectionId)}`;
}

async function fetchFiles(api: Api, artifact: Artifact): Promise<FetchedFile[] | null> {
  const base = `${collectionPath(artifact.collection_id)}/artifacts/${encodeURIComponent(artifact.id)}/files/`;
  const fetched: FetchedFile[] = [];
  for (let start = 0; start < artifact.files.length; start += PARALLEL_FETCHES) {
    const batch = artifact.files.slice(start, start + PARALLEL_FETCHES);
    const contents = await Promise.all(
      batch.map(async (file) => {
        const response = await api.rest(`${base}${file.path.split("/").map(encodeURIComponent).join("/")}`);
        return Buffer.from(await response.arrayBuffer());
      }),
    );
    for (const [index, file] of batch.entries()) {
      const content = contents[index] as Buffer;
      // A file that is not the one listed means the artifact changed while it was read.
      if (sha256(content) !== file.sha256) return null;
      fetched.push({ path: file.path, content, sha256: file.sha256, executable: file.executable });
    }
  }
  return fetched;
}

/**
 * An artifact and its files' bytes, all of one version (each file is
 * checked against the SHA-256 the artifact lists, and read again when the
 * artifact changed meanwhile); null when the artifact is gone.
 */
export async function fetchArtifact(api: Api, collectionId: string, artifactId: string): Promise<FetchedArtifact | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let artifact: Artifact;
    try {
      artifact = await api.client.artifacts.get.query({ collection_id: collectionId, artifact_id: artifactId });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const files = await fetchFiles(api, artifact).catch((error: unknown) => {
      if (error instanceof ServerAnswer && error.status === 404) return null;
      throw error;
    });
    if (files) return { artifact, files };
  }
  throw new CliError(`The artifact ${artifactId} kept changing while it was read; run the command again.`, EXIT.failed);
}

/** A version of a file the collection has held, by its SHA-256; null when the collection never held it. */
export async function fetchBlob(api: Api, collectionId: string, hash: string): Promise<Buffer | null> {
  try {
    const response = await api.rest(`${collectionPath(collectionId)}/blobs/${hash}`);
    return Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof ServerAnswer && error.status === 404) return null;
    throw error;
  }
}

/**
 * Up to this many artifacts of one collection are asked for one by one; a
 * lock naming more reads the collection's whole list instead (500 a page),
 * which costs fewer round trips from there on.
 */
const ONE_BY_ONE_LIMIT = 100;
/** Artifacts asked for at once (the typed client batches them into one request). */
const CONCURRENT_GETS = 20;

/**
 * The current state of the artifacts a lock names, by id; one that is gone
 * (or whose collection is) is absent. A few deployments from a large
 * collection cost a few requests, not a listing of the whole collection.
 */
export async function currentArtifacts(api: Api, deployed: Iterable<{ collection_id: string; artifact_id: string }>): Promise<Map<string, Artifact>> {
  const wanted = new Map<string, Set<string>>();
  for (const { collection_id, artifact_id } of deployed) {
    const ids = wanted.get(collection_id) ?? new Set<string>();
    ids.add(artifact_id);
    wanted.set(collection_id, ids);
  }
  const found = new Map<string, Artifact>();
  for (const [collectionId, ids] of wanted) {
    const artifacts = ids.size <= ONE_BY_ONE_LIMIT ? await artifactsById(api, collectionId, [...ids]) : await everyArtifact(api, collectionId);
    for (const artifact of artifacts) found.set(artifact.id, artifact);
  }
  return found;
}

async function artifactsById(api: Api, collectionId: string, ids: readonly string[]): Promise<Artifact[]> {
  const artifacts: Artifact[] = [];
  for (let start = 0; start < ids.length; start += CONCURRENT_GETS) {
    const batch = await Promise.all(
      ids.slice(start, start + CONCURRENT_GETS).map(async (artifactId) => {
        try {
          return await api.client.artifacts.get.query({ collection_id: collectionId, artifact_id: artifactId });
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      }),
    );
    for (const artifact of batch) if (artifact) artifacts.push(artifact);
  }
  return artifacts;
}

async function everyArtifact(api: Api, collectionId: string): Promise<Artifact[]> {
  try {
    return await allPages((cursor) => api.client.artifacts.list.query({ collection_id: collectionId, limit: PAGE_LIMITS.max, cursor }));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
