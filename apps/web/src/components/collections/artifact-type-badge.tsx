import type { ArtifactType } from "@scriptorium/contract";
import { Badge } from "@/components/ui/badge";
import { ARTIFACT_TYPE_LABELS } from "@/lib/collections";

const TYPE_VARIANTS = {
  skill: "blue",
  command: "violet",
  agent: "amber",
  hook: "secondary",
  mcp: "outline",
  workflow: "green",
} as const satisfies Record<ArtifactType, "secondary" | "outline" | "blue" | "amber" | "violet" | "green">;

export function ArtifactTypeBadge({ type }: { type: ArtifactType }) {
  return (
    <Badge variant={TYPE_VARIANTS[type]} title={ARTIFACT_TYPE_LABELS[type]}>
      {type}
    </Badge>
  );
}
