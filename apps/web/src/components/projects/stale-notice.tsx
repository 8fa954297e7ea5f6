"use client";

import { AlertTriangleIcon, CircleCheckIcon } from "lucide-react";
import { useId, type ReactNode } from "react";
import { describeStageNumbers, stageByNumber } from "@scriptorium/contract";
import type { JobStatus, StageInfo } from "@/lib/projects";

interface StaleNoticeProps {
  /** The stage numbers saving would make stale. */
  stale: readonly number[];
  stages: readonly StageInfo[] | undefined;
  /** Why they become stale, and what the next start does about it. */
  explanation: ReactNode;
  /** Shown when nothing becomes stale. */
  nothingStale: string;
  /** A job that is active now: changes that make stages stale wait for it. */
  activeJob: JobStatus | null;
  /** What can still change while the job runs, if anything. */
  allowedWhileActive?: string;
}

/** What saving would do to what is written, shown before saving: which stages become stale and why, or that none does. */
export function StaleNotice({ stale, stages, explanation, nothingStale, activeJob, allowedWhileActive }: StaleNoticeProps) {
  const headingId = useId();
  if (stale.length === 0) {
    return (
      <p className="flex items-start gap-2 rounded-md border bg-muted/30 p-3 text-sm text-muted-foreground" role="status">
        <CircleCheckIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>{nothingStale}</span>
      </p>
    );
  }
  return (
    <section
      aria-labelledby={headingId}
      className={
        activeJob
          ? "grid gap-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
          : "grid gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
      }
    >
      <h3 id={headingId} className="flex items-center gap-2 font-medium">
        <AlertTriangleIcon className="size-4 shrink-0" aria-hidden="true" />
        Saving makes {stale.length === 1 ? "stage" : "stages"} {describeStageNumbers(stale)} stale
      </h3>
      <p>{explanation}</p>
      <ul className="flex flex-wrap gap-1.5" aria-label="Stages made stale">
        {stale.map((number) => (
          <li key={number} className="rounded-md border border-current/20 px-2 py-0.5 text-xs">
            {number} · {stages?.find((stage) => stage.number === number)?.name ?? stageByNumber(number)?.name}
          </li>
        ))}
      </ul>
      {activeJob ? (
        <p role="alert">
          The job is {activeJob.status}: a change that makes stages stale waits until no job is active. Cancel it (finished stages are kept) or let it finish, then save.
          {allowedWhileActive ? ` ${allowedWhileActive}` : ""}
        </p>
      ) : null}
    </section>
  );
}
