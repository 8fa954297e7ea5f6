"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, FileIcon, ShieldAlertIcon, ShieldCheckIcon } from "lucide-react";
import Link from "next/link";
import { useId, type MouseEvent, type ReactNode } from "react";
import { FindingsSummaryBadges, SeverityBadge } from "@/components/collections/finding-badges";
import { RetryButton } from "@/components/problem-card";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { artifactHref } from "@/lib/artifact-files";
import { pluralize } from "@/lib/collections";
import { groupByPath, type Finding, type FindingsSummary } from "@/lib/findings";
import { errorMessage, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

/** Where in its file a finding is: a line, or the whole file (line 0). */
export function findingPlace(finding: Finding): string {
  return finding.line > 0 ? `line ${finding.line}` : "whole file";
}

interface FindingRowProps {
  finding: Finding;
  /** Where it is, as a link when the file can be opened; plain text otherwise. */
  place?: ReactNode;
  /** Findings an update takes away are shown, greyed. */
  muted?: boolean;
  /** A control beside the finding, such as accepting it. */
  children?: ReactNode;
}

/** One finding: severity, rule, place, the matched text and what it means. */
export function FindingRow({ finding, place, muted, children }: FindingRowProps) {
  return (
    <li className={cn("grid gap-1.5 px-3 py-2.5", muted && "opacity-60")}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
        <SeverityBadge severity={finding.severity} />
        {/* The dashboard has no page for the rules, so the id is plain text. */}
        <code className="font-mono font-medium">{finding.rule_id}</code>
        <span className="text-muted-foreground">{place ?? findingPlace(finding)}</span>
        {muted ? <span className="text-muted-foreground">· removed by the update</span> : null}
      </div>
      {finding.excerpt ? (
        <pre className="overflow-x-auto rounded-md border bg-muted/40 px-2.5 py-1.5 font-mono text-xs whitespace-pre-wrap break-all">{finding.excerpt}</pre>
      ) : null}
      <p className="text-sm">{finding.message}</p>
      {children}
    </li>
  );
}

interface SecurityReviewPanelProps {
  collectionId: string;
  artifactId: string;
  summary: FindingsSummary;
  /** Asked before a link opens another file: false keeps the page as it is (unsaved text in the editor). */
  mayOpen: (path: string) => boolean;
}

/** The stored copy's findings, by file, each linking to its line in the viewer. */
export function SecurityReviewPanel({ collectionId, artifactId, summary, mayOpen }: SecurityReviewPanelProps) {
  const trpc = useTRPC();
  const headingId = useId();
  const findings = useQuery(trpc.artifacts.findings.queryOptions({ collection_id: collectionId, artifact_id: artifactId }));
  const items = findings.data?.items ?? [];
  const total = summary.high + summary.medium + summary.low;

  function guard(event: MouseEvent, path: string) {
    if (!mayOpen(path)) event.preventDefault();
  }

  return (
    <section aria-labelledby={headingId}>
      <Card className={cn("gap-0 overflow-hidden py-0", summary.high > 0 && "border-red-300 dark:border-red-900")}>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b px-4 py-3 sm:px-5">
          {total > 0 ? (
            <ShieldAlertIcon className={cn("size-4", summary.high > 0 ? "text-red-600" : "text-amber-600")} aria-hidden="true" />
          ) : (
            <ShieldCheckIcon className="size-4 text-emerald-600" aria-hidden="true" />
          )}
          <h2 id={headingId} className="text-sm font-semibold">
            Security review
          </h2>
          <FindingsSummaryBadges summary={summary} />
          <p className="w-full text-xs text-muted-foreground sm:w-auto">
            {total > 0 ? `${pluralize(total, "finding")} in the stored copy` : "Every file was read for remote code, secrets, injected instructions and other risks."}
          </p>
        </div>
        {findings.isPending ? (
          <div className="grid gap-2 p-4" aria-busy="true">
            <p className="sr-only" role="status">
              Loading the findings…
            </p>
            <Skeleton className="h-4 w-1/2" aria-hidden="true" />
            <Skeleton className="h-4 w-3/4" aria-hidden="true" />
          </div>
        ) : findings.isError ? (
          <div className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm sm:px-5">
            <AlertCircleIcon className="size-4 shrink-0 text-destructive" aria-hidden="true" />
            <span className="text-muted-foreground">The findings could not be loaded: {errorMessage(findings.error)}</span>
            <RetryButton onRetry={() => void findings.refetch()} />
          </div>
        ) : items.length === 0 ? (
          <p className="px-4 py-3 text-sm text-muted-foreground sm:px-5">No findings.</p>
        ) : (
          <ul className="grid max-h-[28rem] divide-y overflow-y-auto">
            {groupByPath(items).map((group) => (
              <li key={group.path} className="grid">
                <div className="flex items-center gap-1.5 bg-muted/30 px-3 py-1.5 sm:px-4">
                  <FileIcon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
                  <Link
                    href={artifactHref(collectionId, artifactId, group.path)}
                    replace
                    scroll={false}
                    onClick={(event) => guard(event, group.path)}
                    className="min-w-0 font-mono text-xs font-medium break-all underline-offset-4 hover:underline"
                    aria-label={`Open ${group.path}`}
                  >
                    {group.path}
                  </Link>
                  <span className="text-xs text-muted-foreground">· {pluralize(group.findings.length, "finding")}</span>
                </div>
                <ul className="grid divide-y sm:px-1">
                  {group.findings.map((finding, index) => (
                    <FindingRow
                      key={`${finding.rule_id}:${finding.line}:${index}`}
                      finding={finding}
                      place={
                        finding.line > 0 ? (
                          <Link
                            href={artifactHref(collectionId, artifactId, finding.path, finding.line)}
                            replace
                            scroll={false}
                            onClick={(event) => guard(event, finding.path)}
                            className="underline underline-offset-2 hover:text-foreground"
                            aria-label={`${finding.path} line ${finding.line}`}
                          >
                            line {finding.line}
                          </Link>
                        ) : (
                          "whole file"
                        )
                      }
                    />
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </section>
  );
}
