import type { InfiniteData } from "@tanstack/react-query";

/** A page of an API list, as every paged procedure answers. */
export interface Paged<Item> {
  items: Item[];
  next_cursor: string | null;
  total?: number;
}

/** Continues a paged list from the cursor its last page gave; no cursor, no further page. */
export const nextPageOptions = {
  getNextPageParam: (last: { next_cursor: string | null }) => last.next_cursor ?? undefined,
};

/** The items of every page loaded so far, in order. */
export function loadedItems<Item>(data: InfiniteData<Paged<Item>> | undefined): Item[] {
  return data?.pages.flatMap((page) => page.items) ?? [];
}
