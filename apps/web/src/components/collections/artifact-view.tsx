"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, DownloadIcon, FilePlusIcon, FileXIcon, SearchXIcon } from "lucide-react";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { describeSource } from "@scriptorium/contract/values";
import { ArtifactTypeBadge } from "@/components/collections/artifact-type-badge";
import { FileTree } from "@/components/collections/file-tree";
import { FileViewer } from "@/components/collections/file-viewer";
import { NewFileDialog } from "@/components/collections/new-file-dialog";
import { SecurityReviewPanel } from "@/components/collections/security-review";
import { DeploymentsSection } from "@/components/collections/deployments-section";
import { BackLink, DetailProblem, type BackTarget } from "@/components/detail-problem";
import { PageHeader } from "@/components/page-header";
import { ProblemCard, RetryButton } from "@/components/problem-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useCanWrite } from "@/components/write-access";
import { artifactBundleHref, artifactHref, parseLine, type ArtifactFile } from "@/lib/artifact-files";
import { collectionHref, displayVersion, pluralize, type Artifact } from "@/lib/collections";
import { errorMessage, trpcErrorCode, useTRPC } from "@/lib/trpc";

const backToCollections: BackTarget = { href: "/collections", label: "Collections" };

/** The page of the artifact named by `?collection=&id=`: its files, one of them open. */
export function ArtifactView() {
  const params = useSearchParams();
  const collectionId = params.get("collection");
  const artifactId = params.get("id");
  if (!collectionId || !artifactId) {
    return (
      <DetailProblem back={backToCollections} icon={<SearchXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title="No artifact chosen">
        This address names no artifact. Open one from its collection.
      </DetailProblem>
    );
  }
  return (
    <ArtifactDetail
      key={`${collectionId}/${artifactId}`}
      collectionId={collectionId}
      artifactId={artifactId}
      openPath={params.get("file")}
      line={parseLine(params.get("line"))}
    />
  );
}

/** The file to open when the address names none: the artifact's main file if it has one at its root, else the first. */
function defaultFile(files: readonly ArtifactFile[]): ArtifactFile | undefined {
  return files.find((file) => /^(SKILL|AGENT|COMMAND|README)\.md$/i.test(file.path)) ?? files.find((file) => /^[^/]+\.md$/i.test(file.path)) ?? files[0];
}

function ArtifactDetail({ collectionId, artifactId, openPath, line }: { collectionId: string; artifactId: string; openPath: string | null; line: number | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canWrite = useCanWrite();
  const ids = { collection_id: collectionId, artifact_id: artifactId };
  const collection = useQuery(trpc.collections.get.queryOptions({ collection_id: collectionId }));
  const artifact = useQuery(trpc.artifacts.get.queryOptions(ids));
  const files = useQuery(trpc.artifacts.files.queryOptions(ids));
  const [creating, setCreating] = useState(false);

  // Unsaved text in the editor: asked about before another file replaces it, or the page is left.
  const dirty = useRef(false);
  const setDirty = useCallback((value: boolean) => {
    dirty.current = value;
  }, []);
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  const back: BackTarget = { href: collectionHref(collectionId), label: collection.data?.name ?? "Collection" };

  if (artifact.isPending) return <ArtifactViewSkeleton />;
  if (artifact.isError) {
    if (trpcErrorCode(artifact.error) === "NOT_FOUND") {
      return (
        <DetailProblem back={back} icon={<SearchXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title="Artifact not found">
          It may have been removed from the collection, or the collection belongs to another workspace.
        </DetailProblem>
      );
    }
    return (
      <DetailProblem
        back={back}
        icon={<AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />}
        title="The artifact could not be loaded"
        action={<RetryButton onRetry={() => void artifact.refetch()} />}
      >
        {errorMessage(artifact.error)}
      </DetailProblem>
    );
  }

  const items = files.data?.items ?? [];
  const selected = (openPath ? items.find((file) => file.path === openPath) : undefined) ?? (openPath ? undefined : defaultFile(items));
  const modified = new Set(artifact.data.modified_files);

  /** Whether the open file may be replaced: unsaved text in the editor is asked about first. */
  function mayLeave(): boolean {
    if (dirty.current && !window.confirm("Leave the editor? Your unsaved changes to this file will be lost.")) return false;
    dirty.current = false;
    return true;
  }

  /** A link to a line of the open file keeps the editor as it is; one to another file replaces it. */
  function mayOpen(path: string): boolean {
    return path === selected?.path || mayLeave();
  }

  function open(path: string | null) {
    if (path === selected?.path || !mayLeave()) return;
    router.replace(path ? artifactHref(collectionId, artifactId, path) : artifactHref(collectionId, artifactId), { scroll: false });
  }

  return (
    <>
      <BackLink {...back} />
      <ArtifactHeader artifact={artifact.data} canWrite={canWrite} onNewFile={() => setCreating(true)} />
      <div className="mb-6">
        <SecurityReviewPanel collectionId={collectionId} artifactId={artifactId} summary={artifact.data.findings_summary} mayOpen={mayOpen} />
      </div>
      {/* minmax(0, 1fr): long lines scroll inside the viewer instead of widening the page. */}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[17rem_minmax(0,1fr)]">
        <FileTree
          files={files.data?.items}
          failed={files.isError}
          modified={modified}
          deleted={artifact.data.modified_files.filter((path) => !items.some((file) => file.path === path))}
          selectedPath={selected?.path ?? null}
          onSelect={open}
        />
        {files.isPending ? (
          <Card className="gap-3 px-6" aria-hidden="true">
            <Skeleton className="h-5 w-48" />
            <Skeleton className="h-64 w-full" />
          </Card>
        ) : files.isError ? (
          <ProblemCard icon={<AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />} title="The files could not be listed" action={<RetryButton onRetry={() => void files.refetch()} />}>
            {errorMessage(files.error)}
          </ProblemCard>
        ) : selected ? (
          <FileViewer
            key={selected.path}
            collectionId={collectionId}
            artifactId={artifactId}
            file={selected}
            // Only the file the address names is marked: the default file opened without one has no line.
            line={openPath === selected.path ? line : undefined}
            modified={modified.has(selected.path)}
            canWrite={canWrite}
            onDirtyChange={setDirty}
            onDeleted={() => open(null)}
          />
        ) : (
          <ProblemCard icon={<FileXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title={openPath ? "No such file" : "No files"}>
            {openPath ? `This artifact has no file “${openPath}”: it may have been deleted or renamed. Pick one from the list.` : "This artifact holds no files."}
          </ProblemCard>
        )}
      </div>
      <div className="mt-6">
        <DeploymentsSection artifactId={artifactId} collectionName={collection.data?.name ?? null} artifactName={artifact.data.name} />
      </div>
      {canWrite ? (
        <NewFileDialog
          open={creating}
          onOpenChange={setCreating}
          collectionId={collectionId}
          artifactId={artifactId}
          existingPaths={items.map((file) => file.path)}
          onCreated={(path) => open(path)}
        />
      ) : null}
    </>
  );
}

function ArtifactHeader({ artifact, canWrite, onNewFile }: { artifact: Artifact; canWrite: boolean; onNewFile: () => void }) {
  const { title, description } = artifact.metadata;
  return (
    <PageHeader
      title={artifact.name}
      description={
        <>
          {title && title !== artifact.name ? <span className="block font-medium text-foreground">{title}</span> : null}
          {description ?? "No description."}
          <span className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
            <ArtifactTypeBadge type={artifact.type} />
            {artifact.locally_modified ? (
              <Badge variant="amber" title="The stored copy differs from what upstream had at the last import or sync; a sync merges upstream changes with these edits.">
                locally modified
              </Badge>
            ) : null}
            <code className="font-mono" title={`Copied from ${artifact.resolved_version}`}>
              {displayVersion(artifact)}
            </code>
            <span aria-hidden="true">·</span>
            <span className="max-w-full truncate font-mono" title={describeSource(artifact.source)}>
              {describeSource(artifact.source)}
            </span>
            {artifact.locally_modified ? (
              <>
                <span aria-hidden="true">·</span>
                <span>{pluralize(artifact.modified_files.length, "file")} edited here</span>
              </>
            ) : null}
          </span>
        </>
      }
      actions={
        <>
          <Button variant="outline" asChild>
            <a href={artifactBundleHref(artifact.collection_id, artifact.id)} download>
              <DownloadIcon aria-hidden="true" />
              Download .tar.gz
            </a>
          </Button>
          {canWrite ? (
            <Button variant="outline" onClick={onNewFile}>
              <FilePlusIcon aria-hidden="true" />
              New file
            </Button>
          ) : null}
        </>
      }
    />
  );
}

export function ArtifactViewSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        Loading the artifact…
      </p>
      <div aria-hidden="true">
        <Skeleton className="mb-4 h-4 w-24" />
        <div className="mb-8 grid gap-2">
          <Skeleton className="h-8 w-64" />
          <Skeleton className="h-4 w-full max-w-md" />
        </div>
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[17rem_minmax(0,1fr)]">
          <Card className="gap-3 px-4">
            {[0, 1, 2, 3].map((row) => (
              <Skeleton key={row} className="h-5 w-full" />
            ))}
          </Card>
          <Card className="gap-3 px-6">
            <Skeleton className="h-5 w-48" />
            <Skeleton className="h-64 w-full" />
          </Card>
        </div>
      </div>
    </div>
  );
}
