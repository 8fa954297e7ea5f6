"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CircleStopIcon, LoaderCircleIcon, PauseIcon, PlayIcon, RotateCcwIcon, StepForwardIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { WriteButton } from "@/components/write-access";
import { jobActions, type JobStatus } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";

/**
 * Keeps every view of the job in step with an answer that changed it: the
 * answer is the new status, so it is shown at once; the stages and the
 * project's own status follow.
 */
function useApplyJobStatus(projectId: string): (job: JobStatus) => void {
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

/** Start, Start over, Pause, Resume and Cancel, each enabled only when the job's state allows it. */
export function JobControls({ projectId, job }: { projectId: string; job: JobStatus | null }) {
  const trpc = useTRPC();
  const applyJobStatus = useApplyJobStatus(projectId);
  const [confirming, setConfirming] = useState<"start-over" | "cancel" | null>(null);
  const actions = jobActions(job);

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
      onSuccess: applyJobStatus,
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
        <WriteButton disabled={busy || !actions.canStart} onClick={() => start.mutate({ id: projectId })}>
          {start.isPending && !start.variables.force ? spinner : <PlayIcon aria-hidden="true" />}
          Start
        </WriteButton>
        <WriteButton variant="outline" disabled={busy || !actions.canPause} onClick={() => pause.mutate({ id: projectId })}>
          {pause.isPending ? spinner : <PauseIcon aria-hidden="true" />}
          {job?.pause_requested && job.status === "running" ? "Pausing…" : "Pause"}
        </WriteButton>
        <WriteButton variant="outline" disabled={busy || !actions.canResume} onClick={() => resume.mutate({ id: projectId })}>
          {resume.isPending ? spinner : <StepForwardIcon aria-hidden="true" />}
          Resume
        </WriteButton>
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

      <ConfirmDialog
        open={confirming === "start-over"}
        onOpenChange={(open) => setConfirming(open ? "start-over" : null)}
        title="Start over?"
        description="Every stage is written again from the high concept on, under the project’s current settings. The finished outputs are replaced as the new run reaches them."
        confirmLabel="Start over"
        pending={start.isPending}
        onConfirm={() => start.mutate({ id: projectId, force: true })}
      />
      <ConfirmDialog
        open={confirming === "cancel"}
        onOpenChange={(open) => setConfirming(open ? "cancel" : null)}
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
