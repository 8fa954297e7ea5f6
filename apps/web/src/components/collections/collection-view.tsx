"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, DownloadIcon, PencilIcon, SearchXIcon, Trash2Icon } from "lucide-react";
import dynamic from "next/dynamic";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { ArtifactsSection, usePrefetchArtifacts } from "@/components/collections/artifacts-section";
import { BackLink, DetailProblem, type BackTarget } from "@/components/detail-problem";
import { PageHeader } from "@/components/page-header";
import { RetryButton } from "@/components/problem-card";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { collectionBundleHref } from "@/lib/artifact-files";
import { pluralize, type Collection } from "@/lib/collections";
import { errorMessage, trpcErrorCode, useTRPC } from "@/lib/trpc";

/*
 * Below the artifacts table, and in dialogs: code of their own, fetched as
 * the page renders, each behind a boundary of its own (a placeholder, or
 * nothing for a closed dialog) so that waiting for it never holds back the
 * table. The forms bring zod and the API's schemas, which the first rows of
 * a long collection do not need.
 */
const AddSourceSection = dynamic(() => import("@/components/collections/add-source-section").then((module) => module.AddSourceSection), { loading: SectionPlaceholder });
const RefreshSection = dynamic(() => import("@/components/collections/refresh-section").then((module) => module.RefreshSection), { loading: SectionPlaceholder });
const SnapshotsSection = dynamic(() => import("@/components/collections/snapshots-section").then((module) => module.SnapshotsSection), { loading: SectionPlaceholder });
const CollectionFormDialog = dynamic(() => import("@/components/collections/collection-form-dialog").then((module) => module.CollectionFormDialog), { ssr: false });
const DeleteCollectionDialog = dynamic(() => import("@/components/collections/delete-collection-dialog").then((module) => module.DeleteCollectionDialog), { ssr: false });

/** Where this page's back link leads. */
const backToCollections: BackTarget = { href: "/collections", label: "Collections" };

/** The page of the collection named by `?id=`. */
export function CollectionView() {
  const collectionId = useSearchParams().get("id");
  if (!collectionId) {
    return (
      <DetailProblem back={backToCollections} icon={<SearchXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title="No collection chosen">
        This address names no collection. Pick one from the list.
      </DetailProblem>
    );
  }
  // Keyed by id: moving to another collection starts its page (forms, last refresh) afresh.
  return <CollectionDetail key={collectionId} collectionId={collectionId} />;
}

function CollectionDetail({ collectionId }: { collectionId: string }) {
  const trpc = useTRPC();
  const collection = useQuery(trpc.collections.get.queryOptions({ collection_id: collectionId }));
  usePrefetchArtifacts(collectionId);

  if (collection.isPending) return <CollectionViewSkeleton />;
  if (collection.isError) {
    if (trpcErrorCode(collection.error) === "NOT_FOUND") {
      return (
        <DetailProblem back={backToCollections} icon={<SearchXIcon className="size-8 text-muted-foreground" aria-hidden="true" />} title="Collection not found">
          It may have been deleted, or it belongs to another workspace.
        </DetailProblem>
      );
    }
    return (
      <DetailProblem
        back={backToCollections}
        icon={<AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />}
        title="The collection could not be loaded"
        action={<RetryButton onRetry={() => void collection.refetch()} />}
      >
        {errorMessage(collection.error)}
      </DetailProblem>
    );
  }

  return (
    <>
      <BackLink {...backToCollections} />
      <CollectionHeader collection={collection.data} />
      {/* grid-cols-1 is minmax(0, 1fr): a wide table scrolls inside its card instead of widening the page. */}
      <div className="grid grid-cols-1 gap-6">
        <ArtifactsSection collectionId={collectionId} />
        <AddSourceSection collectionId={collectionId} />
        <RefreshSection collectionId={collectionId} />
        <SnapshotsSection collectionId={collectionId} />
      </div>
    </>
  );
}

function CollectionHeader({ collection }: { collection: Collection }) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <PageHeader
        title={collection.name}
        description={
          <>
            {collection.description || "No description."}
            <span className="mt-2 flex flex-wrap items-center gap-x-2 text-xs">
              <span className="font-medium text-foreground">{pluralize(collection.artifact_count, "artifact")}</span>
              <span aria-hidden="true">·</span>
              <span>
                Updated <RelativeTime value={collection.updated_at} />
              </span>
            </span>
          </>
        }
        actions={
          <>
            <Button variant="outline" asChild>
              <a href={collectionBundleHref(collection.id)} download title="Every artifact's files as a .tar.gz, with a manifest">
                <DownloadIcon aria-hidden="true" />
                Download
              </a>
            </Button>
            <WriteButton variant="outline" onClick={() => setEditing(true)}>
              <PencilIcon aria-hidden="true" />
              Edit
            </WriteButton>
            <WriteButton variant="outline" className="text-destructive hover:bg-destructive/10 hover:text-destructive" onClick={() => setDeleting(true)}>
              <Trash2Icon aria-hidden="true" />
              Delete
            </WriteButton>
          </>
        }
      />
      <CollectionFormDialog open={editing} onOpenChange={setEditing} collection={collection} />
      <DeleteCollectionDialog open={deleting} onOpenChange={setDeleting} collection={collection} />
    </>
  );
}

/** Holds a lazily loaded section's place (a card's height) while its code arrives. */
function SectionPlaceholder() {
  return (
    <Card className="gap-4 px-6" aria-hidden="true">
      <Skeleton className="h-5 w-40" />
      <Skeleton className="h-4 w-full max-w-md" />
    </Card>
  );
}

export function CollectionViewSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        Loading the collection…
      </p>
      <div aria-hidden="true">
        <Skeleton className="mb-4 h-4 w-24" />
        <div className="mb-8 grid gap-2">
          <Skeleton className="h-8 w-64" />
          <Skeleton className="h-4 w-full max-w-md" />
          <Skeleton className="h-3 w-40" />
        </div>
        <Card className="gap-4 px-6">
          <Skeleton className="h-5 w-32" />
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} className="h-10 w-full" />
          ))}
        </Card>
      </div>
    </div>
  );
}
