import { z } from "zod";
import { ARTIFACT_TYPES } from "./values";
import { Id } from "./ids";

export const ArtifactType = z.enum(ARTIFACT_TYPES).meta({ id: "ArtifactType" });
export type ArtifactType = z.infer<typeof ArtifactType>;

/** The metadata read from an artifact's main file; a refresh may be limited to some of them. */
export const METADATA_FIELDS = ["title", "description", "author", "license", "version", "tags", "tools"] as const;

export const MetadataField = z.enum(METADATA_FIELDS).meta({ id: "MetadataField" });
export type MetadataField = z.infer<typeof MetadataField>;

export const REFRESH_MODES = ["metadata", "check", "sync"] as const;
export type RefreshMode = (typeof REFRESH_MODES)[number];

/** The longer names the modes also answer to. */
export const REFRESH_MODE_ALIASES = { metadata_only: "metadata", check_only: "check" } as const satisfies Record<string, RefreshMode>;

/** Most artifacts one import may add: a bound on what a single request can make the server read. */
export const MAX_ARTIFACTS_PER_IMPORT = 10_000;

export const ArtifactMetadata = z
  .object({
    title: z.string().nullable(),
    description: z.string().nullable(),
    author: z.string().nullable(),
    license: z.string().nullable(),
    version: z.string().nullable(),
    tags: z.array(z.string()),
    tools: z.array(z.string()),
  })
  .meta({ id: "ArtifactMetadata" });
export type ArtifactMetadata = z.infer<typeof ArtifactMetadata>;

/** One stored file of an artifact; its bytes live in the content-addressed blob store. */
export const StoredFile = z.object({ path: z.string(), sha256: z.string(), size: z.number().int(), executable: z.boolean() }).meta({ id: "StoredFile" });
export type StoredFile = z.infer<typeof StoredFile>;

/** Where an artifact was copied from, normalised. */
export const ArtifactSource = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("local"), path: z.string() }),
    z.object({ kind: z.literal("git"), url: z.string(), path: z.string(), ref: z.string().nullable() }),
    z.object({ kind: z.literal("github"), repo: z.string(), path: z.string(), ref: z.string().nullable() }),
  ])
  .meta({ id: "Source" });
export type ArtifactSource = z.infer<typeof ArtifactSource>;

// The fields people type when they add a source. Their messages read as
// advice, since the dashboard shows them next to the field.

/** A source in its short form: an absolute path, ./relative, or owner/repo/path@ref. */
export const ShortSource = z
  .string()
  .trim()
  .min(1, "Enter a path on the server or owner/repo/path@ref.")
  .max(4096, "Keep the source to 4,096 characters or fewer.");
export const GitUrl = z.string().trim().min(1, "Enter the repository’s URL.").max(2048, "Keep the URL to 2,048 characters or fewer.");
/** A folder or file inside a repository; empty for its root. */
export const RepoPath = z.string().trim().max(1000, "Keep the path to 1,000 characters or fewer.");
/** A branch, tag or commit; empty for the default branch. */
export const GitRef = z.string().trim().max(255, "Keep the ref to 255 characters or fewer.");
/** The name given to a single artifact; empty keeps its folder or file name. */
export const ArtifactName = z.string().trim().max(200, "Keep the name to 200 characters or fewer.");

const RefInput = GitRef.nullish().meta({ description: "Branch, tag or commit; omit or null for the default branch" });
const RepoPathInput = RepoPath.optional().meta({ description: "Folder or file inside the repository; omit for its root" });

/** A source as given: the tagged object (path and ref optional) or a short string. */
export const SourceInput = z.union([
  ShortSource.meta({ description: "Short form: an absolute path, ./relative, or owner/repo/path@ref", example: "anthropics/skills/canvas-design@main" }),
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("local"), path: z.string().min(1).max(4096) }),
    z.object({ kind: z.literal("git"), url: GitUrl, path: RepoPathInput, ref: RefInput }),
    z.object({ kind: z.literal("github"), repo: z.string().min(3).max(200), path: RepoPathInput, ref: RefInput }),
  ]),
]);
export type SourceInput = z.output<typeof SourceInput>;

/** A glob on artifact names, case-insensitive; empty matches every name. */
export const NamePattern = z.string().trim().max(200, "Keep the pattern to 200 characters or fewer.");

const CollectionName = z.string().trim().min(1, "Give the collection a name.").max(100, "Keep the name to 100 characters or fewer.");
const CollectionDescription = z.string().trim().max(2000, "Keep the description to 2,000 characters or fewer.");

export const CreateCollectionInput = z.object({ name: CollectionName, description: CollectionDescription.optional() });
export type CreateCollectionInput = z.output<typeof CreateCollectionInput>;

export const UpdateCollectionInput = z.object({ collection_id: Id, name: CollectionName.optional(), description: CollectionDescription.optional() });

/** Where a refresh is: comparing artifacts with upstream, writing what changed, or finished. */
export const REFRESH_PHASES = ["reading", "applying", "done"] as const;

/** One live update of a running refresh (`collections.refreshProgress`). */
export const RefreshProgress = z
  .object({
    phase: z.enum(REFRESH_PHASES),
    done: z.number().int().meta({ description: "Artifacts compared with upstream so far" }),
    total: z.number().int(),
  })
  .meta({ id: "RefreshProgress" });
export type RefreshProgress = z.infer<typeof RefreshProgress>;
