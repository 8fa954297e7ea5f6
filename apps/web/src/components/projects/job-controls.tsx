"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CircleStopIcon, LoaderCircleIcon, PauseIcon, PlayIcon, RotateCcwIcon, StepForwardIcon, WalletIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { PlanDialog } from "@/components/projects/plan-dialog";
import { ProjectEditDialog } from "@/components/projects/project-edit-dialog";
import { WriteButton } from "@/components/write-access";
import { jobActions, type JobStatus } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";

/**
 * Keeps every view of the job in step with an answer that changed it: the
 * answer is the new status, so it is shown at once; the stages and the
 * project's own status follow.
 */
export function useApplyJobStatus(projectId: string): (job: JobStatus) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (job) => {
    queryClient.setQueryData(trpc.generation.status.queryKey({ id: projectId }), job);
    void queryClient.invalidateQueries({ queryKey: trpc.generation.stages.queryKey({ id: projectId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ id: projectId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
  };
}

/** A refused action's reason (the server names the job's state), where it is seen whatever the scroll position. */
function toastFailure(action: string) {
  return (error: unknown) => toast.error(`Could not ${action}`, { description: errorMessage(error) });
}

/** What the controls are asking the person to confirm. */
type Confirming = "start" | "start-over" | "resume" | "cancel";

/**
 * Start, Start over, Pause, Resume and Cancel, each enabled only when the
 * job's state allows it. Start, Start over and Resume show their plan first.
 */
export function JobControls({ projectId, job }: { projectId: string; job: JobStatus | null }) {
  const trpc = useTRPC();
  const applyJobStatus = useApplyJobStatus(projectId);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [raisingBudget, setRaisingBudget] = useState(false);
  const actions = jobActions(job);
  const confirm = (action: Confirming) => (open: boolean) => setConfirming(open ? action : null);

  const start = useMutation(
    trpc.generation.start.mutationOptions({
      onSuccess: (started, variables) => {
        applyJobStatus(started);
        setConfirming(null);
        toast.success(variables.force ? "Started over from stage 1" : "Started");
      },
      onError: toastFailure("start"),
    }),
  );
  const pause = useMutation(
    trpc.generation.pause.mutationOptions({
      onSuccess: applyJobStatus,
      onError: toastFailure("pause"),
    }),
  );
  const resume = useMutation(
    trpc.generation.resume.mutationOptions({
      onSuccess: (resumed) => {
        applyJobStatus(resumed);
        setConfirming(null);
      },
      onError: toastFailure("resume"),
    }),
  );
  const cancel = useMutation(
    trpc.generation.cancel.mutationOptions({
      onSuccess: (cancelled) => {
        applyJobStatus(cancelled);
        setConfirming(null);
      },
      onError: toastFailure("cancel"),
    }),
  );
  const busy = start.isPending || pause.isPending || resume.isPending || cancel.isPending;
  const spinner = <LoaderCircleIcon className="animate-spin" aria-hidden="true" />;

  return (
    <>
      <div className="flex flex-wrap gap-2">
        <WriteButton disabled={busy || !actions.canStart} onClick={() => setConfirming("start")}>
          {start.isPending && !start.variables.force ? spinner : <PlayIcon aria-hidden="true" />}
          Start
        </WriteButton>
        <WriteButton variant="outline" disabled={busy || !actions.canPause} onClick={() => pause.mutate({ id: projectId })}>
          {pause.isPending ? spinner : <PauseIcon aria-hidden="true" />}
          {job?.pause_requested && job.status === "running" ? "Pausing…" : "Pause"}
        </WriteButton>
        <WriteButton variant="outline" disabled={busy || !actions.canResume} onClick={() => setConfirming("resume")}>
          {resume.isPending ? spinner : <StepForwardIcon aria-hidden="true" />}
          Resume
        </WriteButton>
        {job?.status === "paused" && job.pause_reason === "budget_exhausted" ? (
          <WriteButton variant="outline" disabled={busy} onClick={() => setRaisingBudget(true)}>
            <WalletIcon aria-hidden="true" />
            Raise budget and resume
          </WriteButton>
        ) : null}
        <WriteButton
          variant="outline"
          className="text-destructive hover:bg-destructive/10 hover:text-destructive"
          disabled={busy || !actions.canCancel}
          onClick={() => setConfirming("cancel")}
        >
          <CircleStopIcon aria-hidden="true" />
          Cancel
        </WriteButton>
        <WriteButton variant="outline" disabled={busy || !actions.canStart || job === null} onClick={() => setConfirming("start-over")}>
          <RotateCcwIcon aria-hidden="true" />
          Start over
        </WriteButton>
      </div>

      <PlanDialog
        projectId={projectId}
        open={confirming === "start"}
        onOpenChange={confirm("start")}
        title="Start writing?"
        description="What the job would write now and why, with its estimated cost and time. Finished, up-to-date stages are kept."
        request={{}}
        confirmLabel="Start"
        confirmIcon={<PlayIcon aria-hidden="true" />}
        pending={start.isPending}
        error={null}
        onConfirm={() => start.mutate({ id: projectId })}
      />
      <PlanDialog
        projectId={projectId}
        open={confirming === "start-over"}
        onOpenChange={confirm("start-over")}
        title="Start over?"
        description="Every stage is written again from the high concept on, under the project’s current settings. The finished outputs are replaced as the new run reaches them."
        request={{ force: true }}
        confirmLabel="Start over"
        confirmIcon={<RotateCcwIcon aria-hidden="true" />}
        pending={start.isPending}
        error={null}
        onConfirm={() => start.mutate({ id: projectId, force: true })}
      />
      <PlanDialog
        projectId={projectId}
        open={confirming === "resume"}
        onOpenChange={confirm("resume")}
        title="Resume the job?"
        description="What the paused job still has to do, from its last checkpoint on, with its estimated cost and time."
        request={{}}
        confirmLabel="Resume"
        confirmIcon={<StepForwardIcon aria-hidden="true" />}
        pending={resume.isPending}
        error={null}
        onConfirm={() => resume.mutate({ id: projectId })}
      />
      {/* Saved, the job's plan is shown before it resumes, with the new budget beside it. */}
      <ProjectEditDialog projectId={projectId} job={job} open={raisingBudget} onOpenChange={setRaisingBudget} focus="budget_usd" onSaved={() => setConfirming("resume")} />
      <ConfirmDialog
        open={confirming === "cancel"}
        onOpenChange={confirm("cancel")}
        title="Cancel the job?"
        description="It stops at its next checkpoint. Finished stages are kept, and Start later continues from them."
        confirmLabel="Cancel job"
        dismissLabel="Keep going"
        destructive
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate({ id: projectId })}
      />
    </>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  dismissLabel?: string;
  destructive?: boolean;
  pending: boolean;
  onConfirm: () => void;
}

function ConfirmDialog({ open, onOpenChange, title, description, confirmLabel, dismissLabel = "Cancel", destructive = false, pending, onConfirm }: ConfirmDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">{dismissLabel}</Button>
          </DialogClose>
          <Button variant={destructive ? "destructive" : "default"} disabled={pending} onClick={onConfirm}>
            {pending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            {confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
