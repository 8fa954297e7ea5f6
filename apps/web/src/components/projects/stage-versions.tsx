"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircleIcon, HistoryIcon, LoaderCircleIcon } from "lucide-react";
import { toast } from "sonner";
import { describeStageNumbers, stagesMadeStaleByEdit } from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { documentText, LineDiff } from "@/components/projects/version-diff";
import { VersionsCompare, type VersionEntry } from "@/components/projects/versions-compare";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import type { StageInfo } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";

/** Every version of a planning stage's document, any two compared line by line, and any earlier one restorable. */
export function StageVersions({ projectId, stage, jobActive }: { projectId: string; stage: StageInfo; jobActive: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.generation.stageVersions.queryOptions({ id: projectId, stage_number: stage.number }));
  const stages = useQuery(trpc.generation.stages.queryOptions({ id: projectId }));
  const stale = stagesMadeStaleByEdit(stage.number, stages.data?.items ?? []);
  const restore = useMutation(
    trpc.generation.restoreStageVersion.mutationOptions({
      onSuccess: (restored) => {
        void queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
        toast.success(`Version ${restored.version ?? ""} is current${stale.length > 0 ? `; stage${stale.length === 1 ? "" : "s"} ${describeStageNumbers(stale)} now stale` : ""}`);
      },
    }),
  );

  if (versions.isPending) return <Skeleton className="h-32 w-full" aria-hidden="true" />;
  if (versions.isError) return <FormError error={versions.error} />;

  const entries: VersionEntry[] = versions.data.items.map((version) => ({
    version: version.version,
    origin: version.restored_from !== null ? `Restored from version ${version.restored_from}` : version.edited ? "Edited by hand" : `Written by the writer`,
    createdAt: version.created_at,
    current: version.current,
  }));

  return (
    <div className="grid gap-3">
      <p className="flex items-start gap-2 text-sm text-muted-foreground">
        <HistoryIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          Restoring a version stores it again as the newest one
          {stale.length > 0 ? ` and makes stage${stale.length === 1 ? "" : "s"} ${describeStageNumbers(stale)} stale, like an edit` : ""}.
        </span>
      </p>
      {/* A new version (an edit, a restore) opens the comparison on it again. */}
      <VersionsCompare
        key={entries[0]?.version}
        entries={entries}
        subject={stage.name.toLowerCase()}
        renderDiff={(from, to) => <StageVersionDiff projectId={projectId} stage={stage.number} from={from} to={to} />}
        renderAction={(entry) => (
          <WriteButton
            variant="outline"
            size="sm"
            disabled={jobActive || restore.isPending}
            title={jobActive ? "Wait until the job has finished" : undefined}
            onClick={() => restore.mutate({ id: projectId, stage_number: stage.number, version: entry.version })}
            aria-label={`Restore version ${entry.version}`}
          >
            {restore.isPending && restore.variables.version === entry.version ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            Restore
          </WriteButton>
        )}
      />
      <FormError error={restore.error} />
    </div>
  );
}

function StageVersionDiff({ projectId, stage, from, to }: { projectId: string; stage: number; from: number; to: number }) {
  const trpc = useTRPC();
  const before = useQuery(trpc.generation.stageVersion.queryOptions({ id: projectId, stage_number: stage, version: from }));
  const after = useQuery(trpc.generation.stageVersion.queryOptions({ id: projectId, stage_number: stage, version: to }));
  const failed = before.error ?? after.error;
  if (failed) {
    return (
      <p className="flex items-center gap-2 text-sm text-destructive" role="alert">
        <AlertCircleIcon className="size-4" aria-hidden="true" />
        {errorMessage(failed)}
      </p>
    );
  }
  if (!before.data || !after.data) return <Skeleton className="h-40 w-full" aria-hidden="true" />;
  return <LineDiff before={documentText(before.data.output)} after={documentText(after.data.output)} label={`Changes from version ${from} to version ${to}`} />;
}
