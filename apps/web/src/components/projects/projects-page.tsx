"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, ArrowRightIcon, BookOpenTextIcon, PlusIcon, RefreshCwIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { ProjectFormDialog } from "@/components/projects/project-form-dialog";
import { JobStateBadge } from "@/components/projects/status-badges";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { describeWriter, displayGenre, formatPercent, formatWords, isActiveJob, projectHref, type Project } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";

/** How often a card of a project with an active job asks for its progress. */
const ACTIVE_JOB_POLL_MS = 2_000;

export function ProjectsPage() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.projects.list.queryOptions());
  const [creating, setCreating] = useState(false);

  const newProjectButton = (
    <WriteButton onClick={() => setCreating(true)}>
      <PlusIcon aria-hidden="true" />
      New project
    </WriteButton>
  );

  return (
    <>
      <PageHeader
        title="Projects"
        description="Novels written through the 12-stage manuscript pipeline, from high concept to the validated final text."
        actions={projects.data && projects.data.items.length > 0 ? newProjectButton : null}
      />
      {projects.isPending ? (
        <ProjectGridSkeleton />
      ) : projects.isError ? (
        <Card className="items-center gap-3 px-6 py-12 text-center">
          <AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />
          <h2 className="font-semibold">The projects could not be loaded</h2>
          <p className="max-w-md text-sm text-muted-foreground">{errorMessage(projects.error)}</p>
          <Button variant="outline" onClick={() => void projects.refetch()}>
            <RefreshCwIcon aria-hidden="true" />
            Try again
          </Button>
        </Card>
      ) : projects.data.items.length === 0 ? (
        <EmptyState icon={BookOpenTextIcon} title="No projects yet" action={newProjectButton}>
          A project is one book: its title, genre, length and writer. Starting it runs twelve stages, from the high concept through
          scene drafting and revision to a validated manuscript, and you can watch, pause and resume every step.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Projects">
          {projects.data.items.map((project) => (
            <li key={project.id} className="grid">
              <ProjectCard project={project} />
            </li>
          ))}
        </ul>
      )}
      <ProjectFormDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}

function ProjectCard({ project }: { project: Project }) {
  const trpc = useTRPC();
  // Only a project with an active job has progress worth following; the list itself says which ones.
  const followJob = isActiveJob(project.status);
  const job = useQuery(
    trpc.generation.status.queryOptions(
      { id: project.id },
      {
        enabled: followJob,
        refetchInterval: (query) => (query.state.data && isActiveJob(query.state.data.status) ? ACTIVE_JOB_POLL_MS : false),
      },
    ),
  );
  const liveJob = followJob ? job.data : undefined;
  const state = liveJob?.status ?? project.status;

  return (
    <Card className="relative h-full gap-3 p-5 transition-colors focus-within:border-ring/60 hover:border-ring/60 hover:bg-accent/40">
      <div className="flex items-start justify-between gap-3">
        <h2 className="min-w-0 font-semibold break-words">
          {/* The link covers the whole card (its ::after), so the card is one click target and one tab stop. */}
          <Link
            href={projectHref(project.id)}
            className="outline-none after:absolute after:inset-0 after:rounded-xl focus-visible:after:ring-[3px] focus-visible:after:ring-ring/50"
          >
            {project.title}
          </Link>
        </h2>
        <ArrowRightIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <JobStateBadge state={state} pausing={liveJob?.pause_requested ?? false} />
        <span className="text-sm text-muted-foreground">{displayGenre(project.genre)}</span>
      </div>
      {liveJob && isActiveJob(liveJob.status) ? (
        <div className="grid gap-1.5">
          <Progress value={liveJob.progress} label={`${project.title}: progress`} />
          <p className="flex justify-between gap-2 text-xs text-muted-foreground">
            <span className="truncate">{liveJob.current_stage ? liveJob.current_stage.name : liveJob.message}</span>
            <span className="tabular-nums">{formatPercent(liveJob.progress)}</span>
          </p>
        </div>
      ) : null}
      <p className="mt-auto flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
        <span className="font-medium text-foreground">{formatWords(project.target_words)}</span>
        <span aria-hidden="true">·</span>
        <span>{describeWriter(project.writer)}</span>
        <span aria-hidden="true">·</span>
        {/* Above the link's overlay, so its tooltip still opens. */}
        <span className="relative">
          Updated <RelativeTime value={project.updated_at} />
        </span>
      </p>
    </Card>
  );
}

function ProjectGridSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        Loading projects…
      </p>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-hidden="true">
        {[0, 1, 2].map((card) => (
          <Card key={card} className="gap-3 p-5">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-5 w-24" />
            <Skeleton className="mt-2 h-3 w-48" />
          </Card>
        ))}
      </div>
    </div>
  );
}
