"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, AlertTriangleIcon, LoaderCircleIcon, RefreshCwIcon } from "lucide-react";
import type { ReactNode } from "react";
import type { RewriteFrom } from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { Figure } from "@/components/projects/figure";
import { RunReasonBadge } from "@/components/projects/status-badges";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCost, formatNumber, WRITER_DETAILS, type Plan, type PlannedStage } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

/**
 * What is planned: a start (`force` redoes every stage), one stage alone, a
 * rewrite of a chapter or scene (`force` including pinned scenes), or, while
 * a job is active, what it still has to do.
 */
export interface PlanRequest {
  stage?: number;
  force?: boolean;
  rewrite_chapter?: number;
  rewrite_scene?: number;
  rewrite_from?: RewriteFrom;
}

interface PlanDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  request: PlanRequest;
  confirmLabel: string;
  confirmIcon: ReactNode;
  /** The confirmed action is on its way. */
  pending: boolean;
  /** Why the confirmed action was refused, shown in the dialog. */
  error: unknown;
  onConfirm: () => void;
}

/**
 * Asks before a job starts or resumes, showing first what it would run and
 * why, at what estimated cost and time, against the budget, with the
 * plan's warnings: the same plan the server would follow.
 */
export function PlanDialog(props: PlanDialogProps) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      {/* Mounted only while open: every opening asks for the plan as things are now. */}
      <DialogContent className="max-h-[calc(100dvh-2rem)] max-w-3xl overflow-y-auto">{props.open ? <PlanView {...props} /> : null}</DialogContent>
    </Dialog>
  );
}

function PlanView({ projectId, title, description, request, confirmLabel, confirmIcon, pending, error, onConfirm }: PlanDialogProps) {
  const trpc = useTRPC();
  const plan = useQuery(trpc.generation.plan.queryOptions({ id: projectId, ...request }, { staleTime: 0 }));
  // A start the server would refuse (an unpriced model under a budget), or one with nothing to do, is not offered.
  const blocked = !plan.isSuccess || plan.data.stages.length === 0 || plan.data.warnings.some((warning) => warning.code === "price_unknown");

  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      {plan.isPending ? (
        <div className="grid gap-3" aria-busy="true">
          <p className="sr-only" role="status">
            Working out the plan…
          </p>
          <Skeleton className="h-14 w-full" aria-hidden="true" />
          <Skeleton className="h-48 w-full" aria-hidden="true" />
        </div>
      ) : plan.isError ? (
        <div className="flex flex-col items-start gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <p role="alert" className="flex items-start gap-2">
            <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>{errorMessage(plan.error)}</span>
          </p>
          <Button variant="outline" size="sm" onClick={() => void plan.refetch()}>
            <RefreshCwIcon aria-hidden="true" />
            Try again
          </Button>
        </div>
      ) : (
        <PlanDetails plan={plan.data} />
      )}
      <FormError error={error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button disabled={pending || blocked} onClick={onConfirm}>
          {pending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : confirmIcon}
          {confirmLabel}
        </Button>
      </DialogFooter>
    </>
  );
}

/** The offline writer and stage 12 (which computes its report) cost nothing. */
function isFree(stage: PlannedStage): boolean {
  return stage.writer === null || stage.price_source === "offline";
}

/** A cost as the plan knows it: free, unknown (no price for the model), or the estimate. */
function costText(costUsd: number | null, free: boolean): string {
  if (free) return "Free";
  return costUsd === null ? "Unknown" : formatCost(costUsd);
}

/** "under 1 s", "40 s", "12 min", "2 h 05 min": an estimate, so no finer than it can be. */
function formatEstimate(seconds: number): string {
  if (seconds < 1) return "under 1 s";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

function pluralScenes(count: number): string {
  return `${formatNumber(count)} scene${count === 1 ? "" : "s"}`;
}

/** Which scenes a scene stage writes, by chapter: "Chapter 1: 1, 2, 3 · Chapter 2: 1, 2, 3". */
function describeScenes(scenes: NonNullable<PlannedStage["scenes"]>): string {
  return scenes.map((chapter) => `Chapter ${chapter.chapter}: ${chapter.scenes.join(", ")}`).join(" · ");
}

/** Who writes a stage, in a few words. */
function describePlannedWriter(stage: PlannedStage): string {
  if (stage.writer === null) return "Computed, no writer";
  const label = WRITER_DETAILS[stage.writer.provider].label;
  if (stage.writer.provider === "offline") return `${label} writer`;
  const price = stage.price_source === "project" ? "your price" : stage.price_source === "table" ? "table price" : "no known price";
  return `${label} · ${stage.writer.model ?? "default model"} · ${price}`;
}

function PlanDetails({ plan }: { plan: Plan }) {
  const allFree = plan.stages.every(isFree);
  const usesModels = plan.stages.some((stage) => stage.requests > 0);
  // Scene stages each go through the same scenes: the book's share being written is the most any of them writes.
  const scenes = Math.max(0, ...plan.stages.map((stage) => stage.scene_count));

  if (plan.stages.length === 0) {
    return (
      <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">
        Nothing to run: every stage is finished and up to date. Start over writes them all again.
      </p>
    );
  }

  return (
    <div className="grid min-w-0 gap-4">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 rounded-lg border bg-muted/30 p-4 text-sm sm:grid-cols-4">
        <Figure label="Stages">{plan.stages.length}</Figure>
        <Figure label="Scenes">{scenes > 0 ? formatNumber(scenes) : "—"}</Figure>
        <Figure label="Estimated time">{plan.totals.seconds < 1 ? "" : "about "}{formatEstimate(plan.totals.seconds)}</Figure>
        <Figure label="Estimated cost">{costText(plan.totals.cost_usd, allFree)}</Figure>
      </dl>

      {plan.warnings.length > 0 ? (
        <ul className="grid gap-2" aria-label="Warnings">
          {plan.warnings.map((warning) => (
            <li
              key={warning.code}
              className={cn(
                "flex items-start gap-2 rounded-md border p-3 text-sm",
                warning.code === "price_unknown"
                  ? "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
                  : "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200",
              )}
            >
              <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              <span>{warning.message}</span>
            </li>
          ))}
        </ul>
      ) : null}

      <BudgetLine plan={plan} usesModels={usesModels} />

      <div className="overflow-x-auto rounded-md border">
        <Table aria-label="Planned stages">
          <TableHeader>
            <TableRow>
              <TableHead>Stage</TableHead>
              <TableHead>Why</TableHead>
              <TableHead>Scenes</TableHead>
              {usesModels ? <TableHead className="text-right">Tokens in · out</TableHead> : null}
              <TableHead className="text-right">Cost</TableHead>
              <TableHead className="text-right">Time</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody className="[&_td]:py-2">
            {plan.stages.map((stage) => (
              <TableRow key={stage.number} aria-label={`Stage ${stage.number}: ${stage.name}`}>
                <TableCell className="whitespace-normal">
                  <div className="font-medium">
                    {stage.number}. {stage.name}
                  </div>
                  <div className="text-xs text-muted-foreground">{describePlannedWriter(stage)}</div>
                </TableCell>
                <TableCell>
                  <RunReasonBadge reason={stage.reason} />
                </TableCell>
                <TableCell className="tabular-nums" title={stage.scenes ? describeScenes(stage.scenes) : undefined}>
                  {stage.scene_count > 0 ? pluralScenes(stage.scene_count) : "—"}
                  {stage.kept_scenes > 0 ? <span className="text-xs text-muted-foreground"> · {formatNumber(stage.kept_scenes)} kept</span> : null}
                </TableCell>
                {usesModels ? (
                  <TableCell className="text-right tabular-nums">
                    {stage.requests > 0 ? `${formatNumber(stage.input_tokens)} · ${formatNumber(stage.output_tokens)}` : "—"}
                  </TableCell>
                ) : null}
                <TableCell className="text-right tabular-nums">{costText(stage.cost_usd, isFree(stage))}</TableCell>
                <TableCell className="text-right text-muted-foreground tabular-nums">{formatEstimate(stage.seconds)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow aria-label="Total">
              <TableCell className="font-medium">Total</TableCell>
              <TableCell />
              <TableCell />
              {usesModels ? (
                <TableCell className="text-right tabular-nums">
                  {formatNumber(plan.totals.input_tokens)} · {formatNumber(plan.totals.output_tokens)}
                </TableCell>
              ) : null}
              <TableCell className="text-right font-medium tabular-nums">{costText(plan.totals.cost_usd, allFree)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatEstimate(plan.totals.seconds)}</TableCell>
            </TableRow>
          </TableFooter>
        </Table>
      </div>
    </div>
  );
}

/** The budget beside the estimate: what it allows, what the project's jobs have spent, and what is left. */
function BudgetLine({ plan, usesModels }: { plan: Plan; usesModels: boolean }) {
  const left = plan.budget_usd === null ? null : Math.max(0, plan.budget_usd - plan.spent_usd);
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted-foreground">
      <span>
        Budget: <span className="font-medium text-foreground">{plan.budget_usd === null ? "none" : formatCost(plan.budget_usd)}</span>
      </span>
      <span>
        Spent so far: <span className="font-medium text-foreground">{formatCost(plan.spent_usd)}</span>
      </span>
      {left !== null ? (
        <span>
          Left: <span className="font-medium text-foreground">{formatCost(left)}</span>
        </span>
      ) : null}
      {usesModels ? <span>Estimates at prices as of {plan.prices_as_of}; a model writes as long as it likes, so they are approximate.</span> : null}
    </p>
  );
}
