"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { pluralize, type Collection } from "@/lib/collections";
import { useTRPC } from "@/lib/trpc";

/** Asks before deleting a collection with everything in it, then goes back to the list. */
export function DeleteCollectionDialog({ collection, open, onOpenChange }: { collection: Collection; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">{open ? <DeleteConfirmation collection={collection} /> : null}</DialogContent>
    </Dialog>
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
        void queryClient.invalidateQueries({ queryKey: trpc.collections.list.queryKey() });
        router.push("/collections");
      },
    }),
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>Delete “{collection.name}”?</DialogTitle>
        <DialogDescription>
          Its {pluralize(collection.artifact_count, "artifact")} and its snapshots are deleted with it. This cannot be undone.
        </DialogDescription>
      </DialogHeader>
      <FormError error={remove.error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button variant="destructive" disabled={remove.isPending} onClick={() => remove.mutate({ collection_id: collection.id })}>
          {remove.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Delete collection
        </Button>
      </DialogFooter>
    </>
  );
}
