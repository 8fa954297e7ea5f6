"use client";

import { AlertCircleIcon, AlertTriangleIcon, CircleDotIcon, FlagIcon, InfoIcon, type LucideIcon } from "lucide-react";
import { useId, useLayoutEffect, useRef } from "react";
import type { LogEntry } from "@/components/projects/use-generation-events";
import { Card } from "@/components/ui/card";
import { formatElapsed, type StageInfo } from "@/lib/projects";
import { cn } from "@/lib/utils";

/** Within this many pixels of the bottom the log follows new lines; further up, the reader has scrolled back on purpose. */
const FOLLOW_THRESHOLD_PX = 48;

const timeFormat = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

const STATUS_TEXT: Record<string, string> = {
  queued: "Job queued.",
  running: "Job running.",
  paused: "Job paused.",
  completed: "Job completed.",
  failed: "Job failed.",
  cancelled: "Job cancelled.",
};

interface LogLine {
  icon: LucideIcon;
  tone: "muted" | "info" | "warn" | "error" | "success";
  text: string;
}

function describe(entry: LogEntry, stageName: (stage: number) => string): LogLine {
  switch (entry.kind) {
    case "message":
      return { icon: entry.level === "error" ? AlertCircleIcon : entry.level === "warn" ? AlertTriangleIcon : InfoIcon, tone: entry.level, text: entry.message };
    case "status": {
      const text = entry.status === "paused" && entry.reason === "budget_exhausted" ? "Job paused: the budget is spent." : (STATUS_TEXT[entry.status] ?? `Job ${entry.status}.`);
      const tone = entry.status === "completed" ? "success" : entry.status === "failed" ? "error" : entry.status === "paused" ? "warn" : "info";
      return { icon: FlagIcon, tone, text };
    }
    case "stage": {
      const name = `Stage ${entry.stage}, ${stageName(entry.stage)}`;
      if (entry.phase === "finished") {
        return { icon: CircleDotIcon, tone: "success", text: `${name}, finished${entry.durationMs !== null ? ` in ${formatElapsed(entry.durationMs)}` : ""}.` };
      }
      return { icon: CircleDotIcon, tone: "muted", text: `${name}, ${entry.phase === "resumed" ? "resumed from its last checkpoint" : "started"}.` };
    }
  }
}

const TONE_CLASSES: Record<LogLine["tone"], string> = {
  muted: "text-muted-foreground",
  info: "text-foreground",
  warn: "text-amber-700 dark:text-amber-300",
  error: "text-destructive",
  success: "text-emerald-700 dark:text-emerald-300",
};

/** Log entries as lines: time, an icon for their kind, and what happened. */
export function LogLines({ entries, stageName }: { entries: readonly LogEntry[]; stageName: (stage: number) => string }) {
  return (
    <ol className="grid gap-1">
      {entries.map((entry) => {
        const line = describe(entry, stageName);
        const Icon = line.icon;
        return (
          <li key={entry.id} className={cn("grid grid-cols-[auto_auto_minmax(0,1fr)] items-start gap-2 leading-5", TONE_CLASSES[line.tone])}>
            <time dateTime={entry.at} className="text-muted-foreground tabular-nums">
              {timeFormat.format(new Date(entry.at))}
            </time>
            <Icon className="mt-0.5 size-3.5" aria-hidden="true" />
            <span className="break-words">{line.text}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** The job's story so far: status changes, stages and messages, newest at the bottom, following new lines as they come. */
export function LiveLog({ entries, stages }: { entries: readonly LogEntry[]; stages: readonly StageInfo[] | undefined }) {
  const headingId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const stageName = (number: number) => stages?.find((stage) => stage.number === number)?.name.toLowerCase() ?? "unnamed";

  // Before paint, so a new line never flashes below the fold first.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [entries]);

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 overflow-hidden py-0">
        <div className="grid gap-1 border-b px-4 py-4 sm:px-6">
          <h2 id={headingId} className="font-semibold">
            Live log
          </h2>
          <p className="text-sm text-muted-foreground">What the job did and when, as it happens.</p>
        </div>
        <div
          ref={scroller}
          className="h-64 overflow-y-auto bg-muted/30 px-4 py-3 font-mono text-xs sm:px-6"
          onScroll={(event) => {
            const element = event.currentTarget;
            following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_THRESHOLD_PX;
          }}
          // Scrollable, so keyboard users need to be able to focus it to scroll.
          tabIndex={0}
          role="log"
          aria-labelledby={headingId}
        >
          {entries.length === 0 ? (
            <p className="py-16 text-center font-sans text-sm text-muted-foreground">Nothing yet. Events appear here as soon as a job starts.</p>
          ) : (
            <LogLines entries={entries} stageName={stageName} />
          )}
        </div>
      </Card>
    </section>
  );
}
