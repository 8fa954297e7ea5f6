import { z } from "zod";
import { Id } from "./ids";
import { PageInput } from "./paging";
import { DeployProfile, DeployScope } from "./profiles";

/**
 * Where a deployed artifact stands, as `scriptorium status` tells it:
 * current; behind (the collection has newer content); modified (local files
 * or merged entries differ from the lock); diverged (both); missing (the
 * deployed files were deleted); removed (the artifact is gone from the
 * collection); conflict (an update left conflict markers not resolved yet).
 */
export const DEPLOYMENT_STATUSES = ["current", "behind", "modified", "diverged", "missing", "removed", "conflict"] as const;
export const DeploymentStatus = z.enum(DEPLOYMENT_STATUSES).meta({
  id: "DeploymentStatus",
  description:
    "current; behind: the collection has newer content; modified: local files or merged entries differ from the lock; diverged: both; missing: the deployed files were deleted; removed: the artifact is gone from the collection; conflict: an update left conflict markers not resolved yet",
});
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

/** Bounds on one report: what a single request can make the server hold. */
export const DEPLOYMENT_LIMITS = {
  /** Most artifacts one target may report. */
  artifacts: 5_000,
  /** The target hash, in characters. */
  targetChars: 128,
  hostChars: 255,
  pathChars: 4_096,
} as const;

/** A collection's content hash: SHA-256 in hex, as artifacts carry it in `content_hash`. */
const ContentHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "Expected the collection's content_hash: 64 lowercase hex digits")
  .meta({ description: "The collection's content_hash of what was deployed (64 hex digits)" });

export const ReportedArtifact = z.object({
  artifact_id: Id,
  content_hash: ContentHash,
  status: DeploymentStatus.meta({ description: "What `scriptorium status` found for this artifact in the target" }),
});
export type ReportedArtifact = z.infer<typeof ReportedArtifact>;

/** What the command line sends after a deploy, update, status or undeploy: everything one target holds from this workspace. */
export const ReportDeploymentInput = z.object({
  target: z
    .string()
    .regex(/^[\x21-\x7e]+$/, "Expected visible ASCII characters only, such as a hex hash")
    .min(8)
    .max(DEPLOYMENT_LIMITS.targetChars)
    .meta({
      description: "Names the target: a hash of host name, absolute path and profile computed by the client (e.g. hex SHA-256). A report replaces the earlier one with the same target.",
      example: "3f1c9a6b0d2e4f5a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a",
    }),
  profile: DeployProfile,
  scope: DeployScope,
  host: z.string().trim().min(1).max(DEPLOYMENT_LIMITS.hostChars).optional().meta({ description: "The machine's host name, for people to recognise the target" }),
  path: z
    .string()
    .min(1)
    .max(DEPLOYMENT_LIMITS.pathChars)
    .optional()
    .meta({ description: "The target's absolute path; sent only with `--report-path`. A report without it clears the one stored before." }),
  artifacts: z
    .array(ReportedArtifact)
    .max(DEPLOYMENT_LIMITS.artifacts)
    .superRefine((artifacts, context) => {
      const seen = new Set<string>();
      for (const [index, artifact] of artifacts.entries()) {
        if (seen.has(artifact.artifact_id)) context.addIssue({ code: "custom", path: [index, "artifact_id"], message: `${artifact.artifact_id} is listed twice` });
        seen.add(artifact.artifact_id);
      }
    })
    .meta({
      description: `Every artifact of this workspace the target holds (at most ${DEPLOYMENT_LIMITS.artifacts}); the list replaces the one reported before. Empty: the target holds nothing from this workspace any more, and its record is deleted.`,
    }),
});
export type ReportDeploymentInput = z.infer<typeof ReportDeploymentInput>;

export const ListDeploymentsInput = PageInput.extend({
  collection_id: Id.optional().meta({ description: "Only targets holding an artifact of this collection; their `artifacts` list only those" }),
  artifact_id: Id.optional().meta({ description: "Only targets holding this artifact; their `artifacts` list only it" }),
});
export type ListDeploymentsInput = z.infer<typeof ListDeploymentsInput>;
