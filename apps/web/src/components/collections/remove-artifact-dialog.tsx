"use client";

import { useMutation } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { toast } from "sonner";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { Artifact } from "@/lib/collections";
import { useTRPC } from "@/lib/trpc";

/** Asks before removing `artifact` (null: closed) from the collection. */
export function RemoveArtifactDialog({ collectionId, artifact, onClose }: { collectionId: string; artifact: Artifact | null; onClose: () => void }) {
  return (
    <Dialog open={artifact !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        {artifact ? <RemoveConfirmation collectionId={collectionId} artifact={artifact} onClose={onClose} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function RemoveConfirmation({ collectionId, artifact, onClose }: { collectionId: string; artifact: Artifact; onClose: () => void }) {
  const trpc = useTRPC();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const remove = useMutation(
    trpc.artifacts.remove.mutationOptions({
      onSuccess: async () => {
        toast.success(`Removed ${artifact.type} “${artifact.name}”`);
        onClose();
        await invalidateCollection();
      },
    }),
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>
          Remove {artifact.type} “{artifact.name}”?
        </DialogTitle>
        <DialogDescription>
          Its stored copy leaves the collection. The upstream source is not touched: add it again to bring the artifact back.
        </DialogDescription>
      </DialogHeader>
      <FormError error={remove.error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button
          variant="destructive"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ collection_id: collectionId, artifact_id: artifact.id })}
        >
          {remove.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Remove artifact
        </Button>
      </DialogFooter>
    </>
  );
}
