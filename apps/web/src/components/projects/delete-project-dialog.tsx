"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { Project } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

/** Asks before deleting a project with its outputs and events, then goes back to the list. */
export function DeleteProjectDialog({ project, open, onOpenChange }: { project: Project; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">{open ? <DeleteConfirmation project={project} /> : null}</DialogContent>
    </Dialog>
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
        void queryClient.invalidateQueries({ queryKey: trpc.projects.list.queryKey() });
        router.push("/projects");
      },
    }),
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>Delete “{project.title}”?</DialogTitle>
        <DialogDescription>Every stage output, the manuscript and the event log are deleted with it. This cannot be undone.</DialogDescription>
      </DialogHeader>
      <FormError error={remove.error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button variant="destructive" disabled={remove.isPending} onClick={() => remove.mutate({ id: project.id })}>
          {remove.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Delete project
        </Button>
      </DialogFooter>
    </>
  );
}
