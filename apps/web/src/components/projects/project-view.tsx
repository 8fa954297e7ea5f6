"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, PencilIcon, RefreshCwIcon, SearchXIcon, Trash2Icon } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { isActiveJobStatus, isSceneStage } from "@scriptorium/contract";
import { BackLink, DetailProblem, type BackTarget } from "@/components/detail-problem";
import { RetryButton } from "@/components/problem-card";
import { DeleteProjectDialog } from "@/components/projects/delete-project-dialog";
import { ExportsSection } from "@/components/projects/exports-section";
import { JobControls } from "@/components/projects/job-controls";
import { JobProgressSection } from "@/components/projects/job-progress-section";
import { LiveLog } from "@/components/projects/live-log";
import { ManuscriptSection } from "@/components/projects/manuscript-section";
import { ProjectEditDialog } from "@/components/projects/project-edit-dialog";
import { RunsSection } from "@/components/projects/runs-section";
import { StageTimeline } from "@/components/projects/stage-timeline";
import { JobStateBadge } from "@/components/projects/status-badges";
import { useGenerationEvents } from "@/components/projects/use-generation-events";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { describeWriter, displayGenre, formatNumber, formatWords, type JobStatus, type Project } from "@/lib/projects";
import { errorMessage, trpcErrorCode, useTRPC } from "@/lib/trpc";

/** Where this page's back link leads. */
const backToProjects: BackTarget = { href: "/projects", label: "Projects" };

/** The page of the project named by `?id=`. */
export function ProjectView() {
  const projectId = useSearchParams().get("id");
  if (!projectId) {
    return (
      <DetailProblem back={backToProjects} icon={<SearchXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title="No project chosen">
        This address names no project. Pick one from the list.
      </DetailProblem>
    );
  }
  // Keyed by id: moving to another project starts its page (log, live stream, reader) afresh.
  return <ProjectDetail key={projectId} projectId={projectId} />;
}

function ProjectDetail({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ id: projectId }));
  const status = useQuery(trpc.generation.status.queryOptions({ id: projectId }));
  const stages = useQuery(trpc.generation.stages.queryOptions({ id: projectId }));
  const events = useGenerationEvents(projectId);

  if (project.isPending) return <ProjectViewSkeleton />;
  if (project.isError) {
    if (trpcErrorCode(project.error) === "NOT_FOUND") {
      return (
        <DetailProblem back={backToProjects} icon={<SearchXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title="Project not found">
          It may have been deleted, or it belongs to another workspace.
        </DetailProblem>
      );
    }
    return (
      <DetailProblem
        back={backToProjects}
        icon={<AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />}
        title="The project could not be loaded"
        action={<RetryButton onRetry={() => void project.refetch()} />}
      >
        {errorMessage(project.error)}
      </DetailProblem>
    );
  }

  // Before the first start the status answers 404: there is no job, which is a state, not a failure.
  const noJobYet = status.isError && trpcErrorCode(status.error) === "NOT_FOUND";
  const job = status.data ?? null;
  const statusFailed = status.isError && !noJobYet;

  return (
    <>
      <BackLink {...backToProjects} />
      <ProjectHeader project={project.data} job={job} controlsReady={status.isSuccess || noJobYet} />
      {/* grid-cols-1 is minmax(0, 1fr): a wide table scrolls inside its card instead of widening the page. */}
      <div className="grid grid-cols-1 gap-6">
        {statusFailed ? (
          <Card className="flex-row flex-wrap items-center gap-3 px-4 sm:px-6">
            <AlertCircleIcon className="size-5 text-destructive" aria-hidden="true" />
            <p className="min-w-0 flex-1 text-sm">The job’s status could not be loaded: {errorMessage(status.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void status.refetch()}>
              <RefreshCwIcon aria-hidden="true" />
              Try again
            </Button>
          </Card>
        ) : status.isPending ? (
          <Card className="gap-4 px-6" aria-busy="true">
            <p className="sr-only" role="status">
              Loading the job…
            </p>
            <Skeleton className="h-5 w-24" aria-hidden="true" />
            <Skeleton className="h-3 w-full" aria-hidden="true" />
            <Skeleton className="h-10 w-full" aria-hidden="true" />
          </Card>
        ) : (
          <JobProgressSection
            project={project.data}
            job={job}
            connection={events.connection}
            connectionError={events.error ? errorMessage(events.error) : null}
            onReconnect={events.reconnect}
          />
        )}
        <StageTimeline projectId={projectId} job={job} />
        <LiveLog entries={events.log} stages={stages.data?.items} />
        <RunsSection projectId={projectId} />
        <ExportsSection projectId={projectId} hasText={stages.data?.items.some((stage) => isSceneStage(stage.number) && stage.status === "completed") ?? false} />
        <ManuscriptSection project={project.data} stages={stages.data?.items} job={job} />
      </div>
    </>
  );
}

function ProjectHeader({ project, job, controlsReady }: { project: Project; job: JobStatus | null; controlsReady: boolean }) {
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const state = job?.status ?? project.status;
  return (
    <div className="mb-8 grid gap-5">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 gap-2">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
            <h1 className="text-2xl font-semibold tracking-tight break-words">{project.title}</h1>
            <JobStateBadge state={state} pausing={job?.pause_requested ?? false} />
          </div>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-muted-foreground">
            <span>{displayGenre(project.genre)}</span>
            <Dot />
            <span>{formatWords(project.target_words)}</span>
            <Dot />
            <span>
              {project.scenes_per_chapter === null
                ? `${project.chapters} chapters of varying length`
                : `${project.chapters} chapters × ${project.scenes_per_chapter} scenes`}
            </span>
            <Dot />
            <span>{describeWriter(project.writer)} writer</span>
            <Dot />
            <span>Seed {formatNumber(project.seed)}</span>
          </p>
          {project.synopsis ? <p className="line-clamp-3 max-w-2xl text-sm text-muted-foreground">{project.synopsis}</p> : null}
        </div>
        <div className="flex gap-2 self-start">
          <WriteButton variant="outline" onClick={() => setEditing(true)}>
            <PencilIcon aria-hidden="true" />
            Edit
          </WriteButton>
          <WriteButton
            variant="outline"
            className="text-destructive hover:bg-destructive/10 hover:text-destructive"
            // The server refuses to delete a project while its job is active: cancel first.
            disabled={isActiveJobStatus(state)}
            onClick={() => setDeleting(true)}
          >
            <Trash2Icon aria-hidden="true" />
            Delete
          </WriteButton>
        </div>
      </div>
      {controlsReady ? <JobControls projectId={project.id} job={job} /> : <Skeleton className="h-9 w-80 max-w-full" />}
      <DeleteProjectDialog project={project} open={deleting} onOpenChange={setDeleting} />
      <ProjectEditDialog projectId={project.id} job={job} open={editing} onOpenChange={setEditing} />
    </div>
  );
}

function Dot() {
  return <span aria-hidden="true">·</span>;
}

export function ProjectViewSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        Loading the project…
      </p>
      <div aria-hidden="true">
        <Skeleton className="mb-4 h-4 w-20" />
        <div className="mb-8 grid gap-3">
          <Skeleton className="h-8 w-72 max-w-full" />
          <Skeleton className="h-4 w-96 max-w-full" />
          <Skeleton className="h-9 w-80 max-w-full" />
        </div>
        <div className="grid gap-6">
          <Card className="gap-4 px-6">
            <Skeleton className="h-5 w-24" />
            <Skeleton className="h-3 w-full" />
            <Skeleton className="h-10 w-full" />
          </Card>
          <Card className="gap-3 px-6">
            {Array.from({ length: 5 }, (_, row) => (
              <Skeleton key={row} className="h-12 w-full" />
            ))}
          </Card>
        </div>
      </div>
    </div>
  );
}
