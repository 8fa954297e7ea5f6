"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { ConfirmDeleteContent, ConfirmDeleteDialog } from "@/components/confirm-delete-dialog";
import type { Artifact } from "@/lib/collections";
import { useTRPC } from "@/lib/trpc";

/** Asks before removing `artifact` (null: closed) from the collection. */
export function RemoveArtifactDialog({ collectionId, artifact, onClose }: { collectionId: string; artifact: Artifact | null; onClose: () => void }) {
  return (
    <ConfirmDeleteDialog open={artifact !== null} onOpenChange={(open) => !open && onClose()}>
      {artifact ? <RemoveConfirmation collectionId={collectionId} artifact={artifact} onClose={onClose} /> : null}
    </ConfirmDeleteDialog>
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
    <ConfirmDeleteContent
      title={<>Remove {artifact.type} “{artifact.name}”?</>}
      description="Its stored copy leaves the collection. The upstream source is not touched: add it again to bring the artifact back."
      confirmLabel="Remove artifact"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ collection_id: collectionId, artifact_id: artifact.id })}
    />
  );
}
