import type { DeploymentStatus } from "@scriptorium/contract";
import { Badge } from "@/components/ui/badge";
import { pluralize } from "@/lib/collections";
import { ATTENTION_ORDER, DEPLOYMENT_STATUS_DETAILS, type ArtifactDeployments } from "@/lib/deployments";
import { cn } from "@/lib/utils";

const STATUS_VARIANTS = {
  current: "green",
  behind: "amber",
  modified: "blue",
  diverged: "violet",
  missing: "red",
  removed: "outline",
  conflict: "red",
} as const satisfies Record<DeploymentStatus, "green" | "amber" | "blue" | "violet" | "red" | "outline">;

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  return (
    <Badge variant={STATUS_VARIANTS[status]} title={DEPLOYMENT_STATUS_DETAILS[status].description}>
      {status}
    </Badge>
  );
}

/**
 * Beside an artifact in the collection's list: how many of its targets want
 * attention ("2 behind", "1 modified"), or how many hold it when all are
 * fine; nothing when it is deployed nowhere.
 */
export function ArtifactDeploymentBadges({ summary, className }: { summary: ArtifactDeployments | undefined; className?: string }) {
  if (!summary || summary.targets === 0) return null;
  const attention = ATTENTION_ORDER.filter((status) => summary.statuses[status] > 0);
  return (
    <span className={cn("inline-flex flex-wrap gap-1", className)}>
      <span className="sr-only">Deployments:</span>
      {attention.length === 0 ? (
        <Badge variant="outline" className="text-muted-foreground" title={`Deployed to ${pluralize(summary.targets, "target")}, none of them behind or modified`}>
          {pluralize(summary.targets, "target")}
        </Badge>
      ) : (
        attention.map((status) => (
          <Badge key={status} variant={STATUS_VARIANTS[status]} title={`${summary.statuses[status]} of ${pluralize(summary.targets, "target")}: ${DEPLOYMENT_STATUS_DETAILS[status].description}`}>
            {summary.statuses[status]} {status}
          </Badge>
        ))
      )}
    </span>
  );
}
