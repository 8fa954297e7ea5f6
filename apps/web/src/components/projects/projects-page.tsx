"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { BookOpenTextIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { isActiveJobStatus } from "@scriptorium/contract";
import { ListCard, ListPage } from "@/components/list-page";
import { ProjectFormDialog } from "@/components/projects/project-form-dialog";
import { JobStateBadge } from "@/components/projects/status-badges";
import { RelativeTime } from "@/components/relative-time";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { describeWriter, displayGenre, formatPercent, formatWords, projectHref, type Project } from "@/lib/projects";
import { nextPageOptions } from "@/lib/paging";
import { useTRPC } from "@/lib/trpc";

/** How often a card of a project with an active job asks for its progress. */
const ACTIVE_JOB_POLL_MS = 2_000;

export function ProjectsPage() {
  const trpc = useTRPC();
  const projects = useInfiniteQuery(trpc.projects.list.infiniteQueryOptions({}, nextPageOptions));
  const [creating, setCreating] = useState(false);

  const newProjectButton = (
    <WriteButton onClick={() => setCreating(true)}>
      <PlusIcon aria-hidden="true" />
      New project
    </WriteButton>
  );

  return (
    <>
      <ListPage
        title="Projects"
        description="Novels written through the 12-stage manuscript pipeline, from high concept to the validated final text."
        list={projects}
        noun="project"
        createButton={newProjectButton}
        loadingLabel="Loading projects…"
        skeletonCard={
          <>
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-5 w-24" />
            <Skeleton className="mt-2 h-3 w-48" />
          </>
        }
        errorTitle="The projects could not be loaded"
        empty={{
          icon: BookOpenTextIcon,
          title: "No projects yet",
          description: (
            <>
              A project is one book: its title, genre, length and writer. Starting it runs twelve stages, from the high concept through
              scene drafting and revision to a validated manuscript, and you can watch, pause and resume every step.
            </>
          ),
        }}
        renderItem={(project) => <ProjectCard project={project} />}
      />
      <ProjectFormDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}

function ProjectCard({ project }: { project: Project }) {
  const trpc = useTRPC();
  // Only a project with an active job has progress worth following; the list itself says which ones.
  const followJob = isActiveJobStatus(project.status);
  const job = useQuery(
    trpc.generation.status.queryOptions(
      { id: project.id },
      {
        enabled: followJob,
        refetchInterval: (query) => (query.state.data && isActiveJobStatus(query.state.data.status) ? ACTIVE_JOB_POLL_MS : false),
      },
    ),
  );
  const liveJob = followJob ? job.data : undefined;
  const state = liveJob?.status ?? project.status;

  return (
    <ListCard href={projectHref(project.id)} name={project.title}>
      <div className="flex flex-wrap items-center gap-2">
        <JobStateBadge state={state} pausing={liveJob?.pause_requested ?? false} />
        <span className="text-sm text-muted-foreground">{displayGenre(project.genre)}</span>
      </div>
      {liveJob && isActiveJobStatus(liveJob.status) ? (
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
    </ListCard>
  );
}
