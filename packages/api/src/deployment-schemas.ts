import { z } from "zod";
import { ArtifactType, DeploymentStatus, DeployProfile, DeployScope, Id, pageOf } from "@scriptorium/contract";
import { Timestamp } from "./schemas";

export const DeployedArtifact = z
  .object({
    artifact_id: z.string(),
    collection_id: z.string(),
    type: ArtifactType.nullable().meta({ description: "null once the artifact is gone from the collection" }),
    name: z.string().nullable().meta({ description: "null once the artifact is gone from the collection" }),
    content_hash: z.string().meta({ description: "The collection's content_hash of what was deployed" }),
    current_content_hash: z.string().nullable().meta({ description: "The collection's content_hash now; null once the artifact is gone" }),
    reported_status: DeploymentStatus.meta({ description: "What the target said at its last report" }),
    status: DeploymentStatus.meta({
      description:
        "Where it stands now: the reported local state against the collection's current content (current → behind and modified → diverged once the collection moved on; removed once the artifact is deleted)",
    }),
    behind: z.boolean().meta({ description: "The collection holds other content than what was deployed, now" }),
  })
  .meta({ id: "DeployedArtifact" });

export const Deployment = z
  .object({
    id: z.string(),
    target: z.string().meta({ description: "The client's hash of host name, absolute path and profile" }),
    profile: DeployProfile,
    scope: DeployScope,
    host: z.string().nullable(),
    path: z.string().nullable().meta({ description: "Only when reported with --report-path" }),
    artifact_count: z.int().meta({ description: "Every artifact of this workspace the target holds, whatever a filter picked" }),
    artifacts: z.array(DeployedArtifact).meta({ description: "The target's artifacts (with a filter, only the matching ones), by type and name" }),
    created_at: Timestamp.meta({ description: "The target's first report" }),
    reported_at: Timestamp.meta({ description: "Its last report" }),
    updated_at: Timestamp.meta({ description: "Its last report that changed what is recorded" }),
  })
  .meta({ id: "Deployment" });

export const DeploymentList = pageOf(Deployment).meta({ id: "DeploymentList" });

export const ReportedDeployment = z
  .object({
    deployment: Deployment.nullable().meta({ description: "The target as recorded now; null when the report was empty and the target's record was deleted" }),
  })
  .meta({ id: "ReportedDeployment" });

export const DeploymentIdInput = z.object({ id: Id });

const STATUS_COUNTS = {
  current: z.int(),
  behind: z.int(),
  modified: z.int(),
  diverged: z.int(),
  missing: z.int(),
  removed: z.int(),
  conflict: z.int(),
} satisfies Record<DeploymentStatus, z.ZodInt>;

export const ArtifactDeployments = z
  .object({
    artifact_id: z.string(),
    targets: z.int().meta({ description: "Targets holding the artifact" }),
    statuses: z
      .object(STATUS_COUNTS)
      .meta({ description: "Of those targets, how many are in each status now" }),
  })
  .meta({ id: "ArtifactDeployments" });

export const DeploymentSummary = z
  .object({ items: z.array(ArtifactDeployments).meta({ description: "One item per artifact of the collection deployed anywhere; artifacts deployed nowhere are left out" }) })
  .meta({ id: "DeploymentSummary" });
