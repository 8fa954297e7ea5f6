"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { LibraryIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { CollectionFormDialog } from "@/components/collections/collection-form-dialog";
import { ListCard, ListPage } from "@/components/list-page";
import { RelativeTime } from "@/components/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { WriteButton } from "@/components/write-access";
import { collectionHref, pluralize, type Collection } from "@/lib/collections";
import { nextPageOptions } from "@/lib/paging";
import { useTRPC } from "@/lib/trpc";

export function CollectionsPage() {
  const trpc = useTRPC();
  const collections = useInfiniteQuery(trpc.collections.list.infiniteQueryOptions({}, nextPageOptions));
  const [creating, setCreating] = useState(false);

  const newCollectionButton = (
    <WriteButton onClick={() => setCreating(true)}>
      <PlusIcon aria-hidden="true" />
      New collection
    </WriteButton>
  );

  return (
    <>
      <ListPage
        title="Collections"
        description="Reusable agent artifacts, copied from local folders, git repositories and GitHub, and refreshed when their upstream moves."
        list={collections}
        noun="collection"
        createButton={newCollectionButton}
        loadingLabel="Loading collections…"
        skeletonCard={
          <>
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="mt-2 h-3 w-32" />
          </>
        }
        errorTitle="The collections could not be loaded"
        empty={{
          icon: LibraryIcon,
          title: "No collections yet",
          description: (
            <>
              A collection keeps skills, commands, agents, hooks, MCP server configs and workflows copied from local folders, git
              repositories and GitHub, and tells you when their upstream has an update.
            </>
          ),
        }}
        renderItem={(collection) => <CollectionCard collection={collection} />}
      />
      <CollectionFormDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}

function CollectionCard({ collection }: { collection: Collection }) {
  return (
    <ListCard href={collectionHref(collection.id)} name={collection.name}>
      <p className="line-clamp-2 text-sm text-muted-foreground">{collection.description || "No description."}</p>
      <p className="mt-auto flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
        <span className="font-medium text-foreground">{pluralize(collection.artifact_count, "artifact")}</span>
        <span aria-hidden="true">·</span>
        {/* Above the link's overlay, so its tooltip still opens. */}
        <span className="relative">
          Updated <RelativeTime value={collection.updated_at} />
        </span>
      </p>
    </ListCard>
  );
}
