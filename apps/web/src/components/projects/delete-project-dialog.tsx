"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ConfirmDeleteContent, ConfirmDeleteDialog } from "@/components/confirm-delete-dialog";
import type { Project } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

/** Asks before deleting a project with its outputs and events, then goes back to the list. */
export function DeleteProjectDialog({ project, open, onOpenChange }: { project: Project; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <ConfirmDeleteDialog open={open} onOpenChange={onOpenChange}>
      <DeleteConfirmation project={project} />
    </ConfirmDeleteDialog>
  );
}

function DeleteConfirmation({ project }: { project: Project }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${project.title}”`);
        // Only the list: refetching this project's own queries now would just answer 404 while the page leaves.
        void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
        router.push("/projects");
      },
    }),
  );

  return (
    <ConfirmDeleteContent
      title={<>Delete “{project.title}”?</>}
      description="Every stage output, the manuscript and the event log are deleted with it. This cannot be undone."
      confirmLabel="Delete project"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ id: project.id })}
    />
  );
}
