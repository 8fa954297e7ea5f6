"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { ConfirmDeleteContent, ConfirmDeleteDialog } from "@/components/confirm-delete-dialog";
import type { ArtifactFile } from "@/lib/artifact-files";
import { trpcErrorCode, useTRPC } from "@/lib/trpc";

interface DeleteFileDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collectionId: string;
  artifactId: string;
  /** The file as shown: the delete is refused if it changed since. */
  file: ArtifactFile;
  onDeleted: () => void;
}

/** Asks before deleting one file of an artifact's stored copy. */
export function DeleteFileDialog({ open, onOpenChange, ...props }: DeleteFileDialogProps) {
  return (
    <ConfirmDeleteDialog open={open} onOpenChange={onOpenChange}>
      <DeleteFileConfirmation {...props} onClose={() => onOpenChange(false)} />
    </ConfirmDeleteDialog>
  );
}

function DeleteFileConfirmation({ collectionId, artifactId, file, onDeleted, onClose }: Omit<DeleteFileDialogProps, "open" | "onOpenChange"> & { onClose: () => void }) {
  const trpc = useTRPC();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const remove = useMutation(
    trpc.artifacts.deleteFile.mutationOptions({
      onSuccess: async () => {
        toast.success(`Deleted ${file.path}`);
        onClose();
        onDeleted();
        await invalidateCollection();
      },
      // The file moved on: show the new version, so the next try is about what is really there.
      onError: async (error) => {
        if (trpcErrorCode(error) === "PRECONDITION_FAILED") await invalidateCollection();
      },
    }),
  );
  const stale = trpcErrorCode(remove.error) === "PRECONDITION_FAILED";

  return (
    <ConfirmDeleteContent
      title={<>Delete {file.path}?</>}
      description="The file leaves this collection's copy of the artifact; upstream is not touched. A snapshot is taken first, so rolling back to it brings the file back."
      confirmLabel="Delete file"
      pending={remove.isPending}
      error={stale ? new Error("Someone else changed this file since you opened it, so it was not deleted. Look at the current version, then delete it again if you still want to.") : remove.error}
      onConfirm={() => remove.mutate({ collection_id: collectionId, artifact_id: artifactId, path: file.path, if_match: file.sha256 })}
    />
  );
}
