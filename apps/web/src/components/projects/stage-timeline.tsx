"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircleIcon, EyeIcon, PencilIcon, PlayIcon, RefreshCwIcon } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { isActiveJobStatus, STAGE, STAGE_COUNT, stageByNumber } from "@scriptorium/contract";
import { PlanDialog } from "@/components/projects/plan-dialog";
import { StageOutputDialog } from "@/components/projects/stage-output-dialog";
import { StageStateBadge } from "@/components/projects/status-badges";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { formatElapsed, type JobStatus, type StageInfo } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

const STAGE_BAR_COLOURS: Partial<Record<StageInfo["status"], string>> = {
  completed: "bg-emerald-600",
  running: "bg-blue-600",
  failed: "bg-destructive",
};

/** The twelve stages in order, each with its state, progress and time, its output and a way to run it alone. */
export function StageTimeline({ projectId, job }: { projectId: string; job: JobStatus | null }) {
  const trpc = useTRPC();
  const headingId = useId();
  const stages = useQuery(trpc.generation.stages.queryOptions({ id: projectId }));
  const [viewing, setViewing] = useState<StageInfo | null>(null);
  const [running, setRunning] = useState<StageInfo | null>(null);
  const jobActive = job !== null && isActiveJobStatus(job.status);

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 overflow-hidden py-0">
        <div className="grid gap-1 border-b px-4 py-4 sm:px-6">
          <h2 id={headingId} className="font-semibold">
            Stages
          </h2>
          <p className="text-sm text-muted-foreground">Open a stage to read what it produced. Stages 6 to 11 work scene by scene.</p>
        </div>
        {stages.isPending ? (
          <div className="grid gap-3 px-4 py-4 sm:px-6" aria-busy="true">
            <p className="sr-only" role="status">
              Loading the stages…
            </p>
            {Array.from({ length: 6 }, (_, row) => (
              <Skeleton key={row} className="h-12 w-full" aria-hidden="true" />
            ))}
          </div>
        ) : stages.isError ? (
          <div className="flex flex-col items-center gap-3 px-6 py-10 text-center">
            <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
            <p className="max-w-md text-sm text-muted-foreground">{errorMessage(stages.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void stages.refetch()}>
              <RefreshCwIcon aria-hidden="true" />
              Try again
            </Button>
          </div>
        ) : (
          <ol className="divide-y" aria-label="Stages">
            {withLiveState(stages.data.items, job).map((stage, _, all) => {
              const earlierFinished = all.every((earlier) => earlier.number >= stage.number || earlier.status === "completed");
              return (
                <StageRow
                  key={stage.number}
                  stage={stage}
                  canRun={!jobActive && earlierFinished}
                  onView={() => setViewing(stage)}
                  onRun={() => setRunning(stage)}
                />
              );
            })}
          </ol>
        )}
      </Card>
      <StageOutputDialog projectId={projectId} stage={viewing} job={job} onClose={() => setViewing(null)} />
      <RunStageDialog projectId={projectId} stage={running} onClose={() => setRunning(null)} />
    </section>
  );
}

/** The job's status moves with every event; the stage list carries what does not change (descriptions) and usage. */
function withLiveState(stages: readonly StageInfo[], job: JobStatus | null): StageInfo[] {
  return stages.map((stage) => {
    const live = job?.stages.find((candidate) => candidate.number === stage.number);
    return live ? { ...stage, status: live.status, progress: live.progress, duration_ms: live.duration_ms } : stage;
  });
}

function StageRow({ stage, canRun, onView, onRun }: { stage: StageInfo; canRun: boolean; onView: () => void; onRun: () => void }) {
  const hasOutput = stage.status !== "pending";
  return (
    <li className="grid grid-cols-[2rem_minmax(0,1fr)] gap-x-3 gap-y-2 px-4 py-3 sm:grid-cols-[2rem_minmax(0,1fr)_auto] sm:px-6" aria-label={`Stage ${stage.number}: ${stage.name}`}>
      <span
        className={cn(
          "flex size-8 items-center justify-center rounded-full border text-sm font-semibold tabular-nums",
          stage.status === "completed" && "border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-300",
          stage.status === "running" && "border-blue-200 bg-blue-50 text-blue-700 dark:border-blue-900 dark:bg-blue-950 dark:text-blue-300",
        )}
        aria-hidden="true"
      >
        {stage.number}
      </span>
      <div className="grid min-w-0 gap-1.5">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <h3 className="font-medium">{stage.name}</h3>
          <StageStateBadge state={stage.status} />
          {stage.duration_ms !== null && stage.duration_ms > 0 ? (
            <span className="text-xs text-muted-foreground tabular-nums" title="Time spent on this stage">
              {formatElapsed(stage.duration_ms)}
            </span>
          ) : null}
        </div>
        <p className="text-xs text-muted-foreground">{stage.description}</p>
        {/* A stale stage is written again from the start: its old output no longer counts as progress. */}
        <Progress value={stage.status === "stale" ? 0 : stage.progress} label={`${stage.name} progress`} className="h-1.5" indicatorClassName={STAGE_BAR_COLOURS[stage.status]} />
      </div>
      <div className="col-start-2 flex flex-wrap gap-1 sm:col-start-3 sm:row-start-1 sm:items-start">
        {!hasOutput && stage.number <= STAGE.scene_outline ? (
          // A planning stage that never ran can be written by hand; the next start builds on it.
          <WriteButton variant="ghost" size="sm" onClick={onView} aria-label={`Write stage ${stage.number}, ${stage.name}, yourself`}>
            <PencilIcon aria-hidden="true" />
            Write it
          </WriteButton>
        ) : (
          <Button variant="ghost" size="sm" disabled={!hasOutput} onClick={onView} aria-label={`View the output of stage ${stage.number}, ${stage.name}`}>
            <EyeIcon aria-hidden="true" />
            Output
          </Button>
        )}
        <WriteButton variant="ghost" size="sm" disabled={!canRun} onClick={onRun} aria-label={`Run stage ${stage.number}, ${stage.name}, alone`}>
          <PlayIcon aria-hidden="true" />
          Run this stage
        </WriteButton>
      </div>
    </li>
  );
}

/** Asks before running one stage alone, showing its plan: every stage after it becomes stale. */
function RunStageDialog({ projectId, stage, onClose }: { projectId: string; stage: StageInfo | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runStage = useMutation(
    trpc.generation.runStage.mutationOptions({
      onSuccess: (job, variables) => {
        const number = Number(variables.stage_number);
        queryClient.setQueryData(trpc.generation.status.queryKey({ id: projectId }), job);
        void queryClient.invalidateQueries({ queryKey: trpc.generation.stages.queryKey({ id: projectId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ id: projectId }) });
        toast.success(`Running stage ${number}, ${stageByNumber(number)?.name ?? ""}`);
        onClose();
      },
    }),
  );
  const later = stage && stage.number < STAGE_COUNT ? `Stages ${stage.number + 1} to ${STAGE_COUNT}` : null;

  return (
    <PlanDialog
      projectId={projectId}
      open={stage !== null}
      onOpenChange={(open) => {
        if (open) return;
        runStage.reset();
        onClose();
      }}
      title={stage ? `Run stage ${stage.number}, ${stage.name}?` : ""}
      description={
        stage
          ? `It is written again from the finished stages before it. ${
              later
                ? `${later} then become stale: their outputs stay readable, and the next Start writes them again from the new ${stage.name.toLowerCase()}.`
                : "No stage comes after it, so nothing else changes."
            }`
          : ""
      }
      request={{ stage: stage?.number }}
      confirmLabel={stage ? `Run stage ${stage.number}` : "Run"}
      confirmIcon={<PlayIcon aria-hidden="true" />}
      pending={runStage.isPending}
      error={runStage.error}
      onConfirm={() => stage && runStage.mutate({ id: projectId, stage_number: stage.number })}
    />
  );
}
