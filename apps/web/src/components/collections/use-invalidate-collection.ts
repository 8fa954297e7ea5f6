"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

/**
 * Marks everything shown about one collection as stale: the list (counts,
 * update times), its header, its artifacts (the list under every filter,
 * each artifact, its files and their contents), its snapshots, and where
 * its artifacts are deployed (a target is behind once the collection's
 * content moves on). Adding, removing, refreshing, rolling back and editing
 * a file can change all of them.
 */
export function useInvalidateCollection(collectionId: string): () => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.collections.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.collections.get.queryKey({ collection_id: collectionId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.artifacts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.collections.snapshots.infiniteQueryKey({ collection_id: collectionId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.deployments.pathKey() }),
    ]);
  };
}
