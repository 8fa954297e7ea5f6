import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { pluralize } from "@/lib/collections";
import { loadedItems, type Paged } from "@/lib/paging";

/**
 * The foot of a paged list: how much of it is shown, and a button for the
 * next page while there is one. Nothing when the whole list is shown.
 */
export function LoadMore<Item>({ list, noun }: { list: UseInfiniteQueryResult<InfiniteData<Paged<Item>>, unknown>; noun: string }) {
  if (!list.hasNextPage) return null;
  const shown = loadedItems(list.data).length;
  const total = list.data?.pages[0]?.total;
  return (
    <div className="flex flex-wrap items-center justify-center gap-3 px-4 py-4 text-sm text-muted-foreground">
      <span aria-live="polite">
        Showing {total === undefined ? pluralize(shown, noun) : `${shown.toLocaleString("en")} of ${pluralize(total, noun)}`}
      </span>
      <Button variant="outline" size="sm" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
        {list.isFetchingNextPage ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
        {list.isFetchingNextPage ? "Loading…" : "Load more"}
      </Button>
    </div>
  );
}
