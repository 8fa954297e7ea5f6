"use client";

import { useMutation } from "@tanstack/react-query";
import { WandSparklesIcon } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { STEERING_LIMITS, type RewriteFrom } from "@scriptorium/contract";
import { FormField } from "@/components/form-field";
import { useApplyJobStatus } from "@/components/projects/job-controls";
import { PlanDialog } from "@/components/projects/plan-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { formatNumber, type ManuscriptChapter } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

/** The chapter (and scene, if one was chosen) a rewrite is about to be asked for. */
export interface RewriteTarget {
  chapter: ManuscriptChapter;
  /** Null for the whole chapter. */
  scene: number | null;
}

interface RewriteRequestDraft {
  scene: number | null;
  instruction: string;
  from: RewriteFrom;
  force: boolean;
}

const WHOLE_CHAPTER = "chapter";

/**
 * Asks for a rewrite of a chapter or one scene in two steps: what to change
 * (the part, the instruction, redraft or revise, pinned scenes or not), then
 * the plan of the job, the same as `POST …/rewrite` would run, before it starts.
 */
export function RewriteDialog({ projectId, target, onClose }: { projectId: string; target: RewriteTarget | null; onClose: () => void }) {
  const trpc = useTRPC();
  const applyJobStatus = useApplyJobStatus(projectId);
  const [planned, setPlanned] = useState<RewriteRequestDraft | null>(null);
  const rewrite = useMutation(
    trpc.generation.rewrite.mutationOptions({
      onSuccess: (job) => {
        applyJobStatus(job);
        toast.success(`Rewriting chapter ${target?.chapter.number ?? ""}: follow it in the live log`);
        setPlanned(null);
        onClose();
      },
    }),
  );
  const chapter = target?.chapter;
  const part = planned && chapter ? (planned.scene === null ? `chapter ${chapter.number}` : `chapter ${chapter.number}, scene ${planned.scene}`) : "";

  return (
    <>
      <Dialog open={target !== null && planned === null} onOpenChange={(open) => (open ? undefined : onClose())}>
        <DialogContent className="max-w-xl">{target ? <RewriteForm key={`${target.chapter.number}-${target.scene}`} target={target} onPlan={setPlanned} /> : null}</DialogContent>
      </Dialog>
      {chapter ? (
        <PlanDialog
          projectId={projectId}
          open={planned !== null}
          onOpenChange={(open) => (open ? undefined : setPlanned(null))}
          title={`Rewrite ${part}?`}
          description={planned ? `“${planned.instruction}” — what the job would write, at what estimated cost and time. Every other chapter stays as it is.` : ""}
          request={
            planned
              ? { rewrite_chapter: chapter.number, ...(planned.scene === null ? {} : { rewrite_scene: planned.scene }), rewrite_from: planned.from, ...(planned.force ? { force: true } : {}) }
              : {}
          }
          confirmLabel="Rewrite"
          confirmIcon={<WandSparklesIcon aria-hidden="true" />}
          pending={rewrite.isPending}
          error={rewrite.error}
          onConfirm={() =>
            planned &&
            rewrite.mutate({
              id: projectId,
              chapter: chapter.number,
              ...(planned.scene === null ? {} : { scene: planned.scene }),
              instruction: planned.instruction,
              from: planned.from,
              ...(planned.force ? { force: true } : {}),
            })
          }
        />
      ) : null}
    </>
  );
}

function RewriteForm({ target, onPlan }: { target: RewriteTarget; onPlan: (draft: RewriteRequestDraft) => void }) {
  const baseId = useId();
  const [scene, setScene] = useState<number | null>(target.scene);
  const [instruction, setInstruction] = useState("");
  const [from, setFrom] = useState<RewriteFrom>("draft");
  const [force, setForce] = useState(false);
  const scenes = target.chapter.scenes.filter((candidate) => scene === null || candidate.number === scene);
  const pinned = scenes.filter((candidate) => candidate.pinned).length;
  const tooLong = instruction.trim().length > STEERING_LIMITS.instructionChars;
  const instructionError = tooLong ? `Keep the instruction to ${formatNumber(STEERING_LIMITS.instructionChars)} characters or fewer.` : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (instruction.trim() === "" || tooLong) return;
    onPlan({ scene, instruction: instruction.trim(), from, force: force && pinned > 0 });
  }

  return (
    <form className="grid gap-4" onSubmit={submit}>
      <DialogHeader>
        <DialogTitle>Rewrite part of chapter {target.chapter.number}</DialogTitle>
        <DialogDescription>
          Say what should change. The job writes the part again following your instruction, runs the revision passes over it, and checks the book again; every other
          chapter stays word for word as it is.
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id={`${baseId}-part`} label="Part" hint={`${formatNumber(scenes.length)} scene${scenes.length === 1 ? "" : "s"}`}>
          <Select value={scene === null ? WHOLE_CHAPTER : String(scene)} onValueChange={(value) => setScene(value === WHOLE_CHAPTER ? null : Number(value))}>
            <SelectTrigger id={`${baseId}-part`} aria-describedby={`${baseId}-part-note`}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={WHOLE_CHAPTER}>
                <SelectItemText>The whole chapter</SelectItemText>
              </SelectItem>
              {target.chapter.scenes.map((candidate) => (
                <SelectItem key={candidate.number} value={String(candidate.number)}>
                  <SelectItemText>Scene {candidate.number}</SelectItemText>
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </FormField>
        <FormField
          id={`${baseId}-from`}
          label="How"
          hint={from === "draft" ? "A new draft that follows the instruction" : "The current text, revised with the instruction"}
        >
          <Select value={from} onValueChange={(value) => setFrom(value as RewriteFrom)}>
            <SelectTrigger id={`${baseId}-from`} aria-describedby={`${baseId}-from-note`}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="draft">
                <SelectItemText>Write it anew</SelectItemText>
              </SelectItem>
              <SelectItem value="revise">
                <SelectItemText>Revise the current text</SelectItemText>
              </SelectItem>
            </SelectContent>
          </Select>
        </FormField>
      </div>
      <FormField
        id={`${baseId}-instruction`}
        label="Instruction"
        hint={`${formatNumber(instruction.trim().length)} of ${formatNumber(STEERING_LIMITS.instructionChars)} characters. For example: “Let the fog lift, and have Mara admit she lied.”`}
        error={instructionError}
      >
        <Textarea
          id={`${baseId}-instruction`}
          rows={5}
          value={instruction}
          onChange={(event) => setInstruction(event.target.value)}
          aria-invalid={tooLong ? true : undefined}
          aria-describedby={`${baseId}-instruction-note`}
        />
      </FormField>
      {pinned > 0 ? (
        <div className="flex items-start gap-2 text-sm">
          <input id={`${baseId}-force`} type="checkbox" className="mt-0.5 size-4 accent-primary" checked={force} onChange={(event) => setForce(event.target.checked)} />
          <label htmlFor={`${baseId}-force`}>
            Rewrite the {pinned === 1 ? "scene" : `${formatNumber(pinned)} scenes`} written by hand too (pinned): {pinned === 1 ? "its pin is" : "their pins are"} dropped.
            Left unticked, {pinned === 1 ? "it stays" : "they stay"} as written.
          </label>
        </div>
      ) : null}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={instruction.trim() === "" || tooLong}>
          Review the plan
        </Button>
      </DialogFooter>
    </form>
  );
}
