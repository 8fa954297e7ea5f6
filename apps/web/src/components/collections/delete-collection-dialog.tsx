"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ConfirmDeleteContent, ConfirmDeleteDialog } from "@/components/confirm-delete-dialog";
import { pluralize, type Collection } from "@/lib/collections";
import { useTRPC } from "@/lib/trpc";

/** Asks before deleting a collection with everything in it, then goes back to the list. */
export function DeleteCollectionDialog({ collection, open, onOpenChange }: { collection: Collection; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <ConfirmDeleteDialog open={open} onOpenChange={onOpenChange}>
      <DeleteConfirmation collection={collection} />
    </ConfirmDeleteDialog>
  );
}

function DeleteConfirmation({ collection }: { collection: Collection }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const remove = useMutation(
    trpc.collections.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${collection.name}”`);
        // Only the list: refetching this collection's own queries now would just answer 404 while the page leaves.
        void queryClient.invalidateQueries({ queryKey: trpc.collections.list.pathKey() });
        router.push("/collections");
      },
    }),
  );

  return (
    <ConfirmDeleteContent
      title={<>Delete “{collection.name}”?</>}
      description={<>Its {pluralize(collection.artifact_count, "artifact")} and its snapshots are deleted with it. This cannot be undone.</>}
      confirmLabel="Delete collection"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ collection_id: collection.id })}
    />
  );
}
