"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, ArrowRightIcon, LibraryIcon, PlusIcon, RefreshCwIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { CollectionFormDialog } from "@/components/collections/collection-form-dialog";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { collectionHref, pluralize, type Collection } from "@/lib/collections";
import { errorMessage, useTRPC } from "@/lib/trpc";

export function CollectionsPage() {
  const trpc = useTRPC();
  const collections = useQuery(trpc.collections.list.queryOptions());
  const [creating, setCreating] = useState(false);

  const newCollectionButton = (
    <WriteButton onClick={() => setCreating(true)}>
      <PlusIcon aria-hidden="true" />
      New collection
    </WriteButton>
  );

  return (
    <>
      <PageHeader
        title="Collections"
        description="Reusable agent artifacts, copied from local folders, git repositories and GitHub, and refreshed when their upstream moves."
        actions={collections.data && collections.data.items.length > 0 ? newCollectionButton : null}
      />
      {collections.isPending ? (
        <CollectionGridSkeleton />
      ) : collections.isError ? (
        <Card className="items-center gap-3 px-6 py-12 text-center">
          <AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />
          <h2 className="font-semibold">The collections could not be loaded</h2>
          <p className="max-w-md text-sm text-muted-foreground">{errorMessage(collections.error)}</p>
          <Button variant="outline" onClick={() => void collections.refetch()}>
            <RefreshCwIcon aria-hidden="true" />
            Try again
          </Button>
        </Card>
      ) : collections.data.items.length === 0 ? (
        <EmptyState icon={LibraryIcon} title="No collections yet" action={newCollectionButton}>
          A collection keeps skills, commands, agents, hooks, MCP server configs and workflows copied from local folders, git
          repositories and GitHub, and tells you when their upstream has an update.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Collections">
          {collections.data.items.map((collection) => (
            <li key={collection.id} className="grid">
              <CollectionCard collection={collection} />
            </li>
          ))}
        </ul>
      )}
      <CollectionFormDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}

function CollectionCard({ collection }: { collection: Collection }) {
  return (
    <Card className="relative h-full gap-3 p-5 transition-colors focus-within:border-ring/60 hover:border-ring/60 hover:bg-accent/40">
      <div className="flex items-start justify-between gap-3">
        <h2 className="min-w-0 font-semibold break-words">
          {/* The link covers the whole card (its ::after), so the card is one click target and one tab stop. */}
          <Link
            href={collectionHref(collection.id)}
            className="outline-none after:absolute after:inset-0 after:rounded-xl focus-visible:after:ring-[3px] focus-visible:after:ring-ring/50"
          >
            {collection.name}
          </Link>
        </h2>
        <ArrowRightIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      </div>
      <p className="line-clamp-2 text-sm text-muted-foreground">{collection.description || "No description."}</p>
      <p className="mt-auto flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
        <span className="font-medium text-foreground">{pluralize(collection.artifact_count, "artifact")}</span>
        <span aria-hidden="true">·</span>
        {/* Above the link's overlay, so its tooltip still opens. */}
        <span className="relative">
          Updated <RelativeTime value={collection.updated_at} />
        </span>
      </p>
    </Card>
  );
}

function CollectionGridSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        Loading collections…
      </p>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-hidden="true">
        {[0, 1, 2].map((card) => (
          <Card key={card} className="gap-3 p-5">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="mt-2 h-3 w-32" />
          </Card>
        ))}
      </div>
    </div>
  );
}
