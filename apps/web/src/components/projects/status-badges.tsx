import { CheckIcon, LoaderCircleIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { JobState, PlannedStage, ProjectStatus, StageState } from "@/lib/projects";

type BadgeVariant = "secondary" | "outline" | "blue" | "amber" | "violet" | "green" | "red";

const PROJECT_STATUS_DETAILS: Record<ProjectStatus | JobState, { label: string; variant: BadgeVariant }> = {
  new: { label: "New", variant: "outline" },
  queued: { label: "Queued", variant: "secondary" },
  running: { label: "Running", variant: "blue" },
  paused: { label: "Paused", variant: "amber" },
  completed: { label: "Completed", variant: "green" },
  failed: { label: "Failed", variant: "red" },
  cancelled: { label: "Cancelled", variant: "secondary" },
};

/**
 * A project's or job's state. `pausing` marks a running job that was asked
 * to pause and has not reached its checkpoint yet.
 */
export function JobStateBadge({ state, pausing = false, className }: { state: ProjectStatus | JobState; pausing?: boolean; className?: string }) {
  if (pausing && state === "running") {
    return (
      <Badge variant="amber" className={className}>
        <LoaderCircleIcon className="animate-spin" aria-hidden="true" />
        Pausing
      </Badge>
    );
  }
  const details = PROJECT_STATUS_DETAILS[state];
  return (
    <Badge variant={details.variant} className={className}>
      {state === "running" ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
      {details.label}
    </Badge>
  );
}

const STAGE_STATE_DETAILS: Record<StageState, { label: string; variant: BadgeVariant; description: string }> = {
  pending: { label: "Pending", variant: "outline", description: "Not written yet." },
  running: { label: "Running", variant: "blue", description: "Being written now." },
  completed: { label: "Done", variant: "green", description: "Finished; its output is kept." },
  failed: { label: "Failed", variant: "red", description: "Stopped with an error; the next start continues it." },
  stale: { label: "Stale", variant: "amber", description: "An earlier stage changed since; the next start writes it again." },
  skipped: { label: "Skipped", variant: "secondary", description: "Not needed for this run." },
};

export function StageStateBadge({ state, className }: { state: StageState; className?: string }) {
  const details = STAGE_STATE_DETAILS[state];
  return (
    <Badge variant={details.variant} className={className} title={details.description}>
      {state === "completed" ? <CheckIcon aria-hidden="true" /> : null}
      {state === "running" ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
      {details.label}
    </Badge>
  );
}

const RUN_REASON_DETAILS: Record<PlannedStage["reason"], { label: string; variant: BadgeVariant; description: string }> = {
  pending: { label: "Pending", variant: "outline", description: "Not finished yet: never written, or left mid-way by a pause or cancel." },
  stale: { label: "Stale", variant: "amber", description: "Out of date since something it is built on changed." },
  failed: { label: "Failed", variant: "red", description: "Failed last time; written again." },
  forced: { label: "Forced", variant: "violet", description: "Finished, and written again because this start asks for it." },
};

/** Why a plan runs a stage. */
export function RunReasonBadge({ reason }: { reason: PlannedStage["reason"] }) {
  const details = RUN_REASON_DETAILS[reason];
  return (
    <Badge variant={details.variant} title={details.description}>
      {details.label}
    </Badge>
  );
}
