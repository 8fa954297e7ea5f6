"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { CreateCollectionInput } from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { collectionHref, type Collection } from "@/lib/collections";
import { errorMessage, trpcErrorCode, useTRPC } from "@/lib/trpc";

/** What the form holds; it is checked with the API's own schema, so mistakes show before a round trip (editing checks the same fields). */
type CollectionFormValues = z.input<typeof CreateCollectionInput>;

interface CollectionFormDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The collection to edit; without one, the dialog creates a new collection. */
  collection?: Collection;
}

/** Creates a collection (then opens it) or edits one's name and description. */
export function CollectionFormDialog({ open, onOpenChange, collection }: CollectionFormDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* Mounted only while open, so every opening starts from a fresh form. */}
      <DialogContent>{open ? <CollectionFormView collection={collection} onDone={() => onOpenChange(false)} /> : null}</DialogContent>
    </Dialog>
  );
}

function CollectionFormView({ collection, onDone }: { collection: Collection | undefined; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useForm<CollectionFormValues, unknown, CreateCollectionInput>({
    resolver: zodResolver(CreateCollectionInput),
    defaultValues: { name: collection?.name ?? "", description: collection?.description ?? "" },
  });

  // A taken name is the name field's problem: show it there, where the fix is typed.
  const showNameConflict = (error: unknown) => {
    if (trpcErrorCode(error) === "CONFLICT") form.setError("name", { message: errorMessage(error) });
  };
  const create = useMutation(
    trpc.collections.create.mutationOptions({
      onSuccess: (created) => {
        void queryClient.invalidateQueries({ queryKey: trpc.collections.list.pathKey() });
        toast.success(`Created “${created.name}”`);
        onDone();
        router.push(collectionHref(created.id));
      },
      onError: showNameConflict,
    }),
  );
  const update = useMutation(
    trpc.collections.update.mutationOptions({
      onSuccess: (updated) => {
        void queryClient.invalidateQueries({ queryKey: trpc.collections.list.pathKey() });
        queryClient.setQueryData(trpc.collections.get.queryKey({ collection_id: updated.id }), updated);
        toast.success(`Saved “${updated.name}”`);
        onDone();
      },
      onError: showNameConflict,
    }),
  );
  const mutation = collection ? update : create;

  function submit(values: CreateCollectionInput) {
    if (collection) update.mutate({ collection_id: collection.id, ...values });
    else create.mutate(values);
  }

  const nameError = form.formState.errors.name?.message;
  const descriptionError = form.formState.errors.description?.message;
  const otherError = mutation.error && trpcErrorCode(mutation.error) !== "CONFLICT" ? mutation.error : null;

  return (
    <>
      <DialogHeader>
        <DialogTitle>{collection ? "Edit collection" : "New collection"}</DialogTitle>
        <DialogDescription>
          {collection
            ? "Rename the collection or change its description. Its artifacts and snapshots stay as they are."
            : "A collection holds skills, commands, agents, hooks, MCP server configs and workflows you copy from upstream sources."}
        </DialogDescription>
      </DialogHeader>
      <form className="grid gap-5" onSubmit={form.handleSubmit(submit)} noValidate>
        <div className="grid gap-2">
          <Label htmlFor="collection-name">Name</Label>
          <Input
            id="collection-name"
            placeholder="e.g. Team skills"
            autoComplete="off"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "collection-name-error" : undefined}
            {...form.register("name")}
          />
          {nameError ? (
            <p id="collection-name-error" role="alert" className="text-sm text-destructive">
              {nameError}
            </p>
          ) : null}
        </div>
        <div className="grid gap-2">
          <Label htmlFor="collection-description">
            Description <span className="font-normal text-muted-foreground">(optional)</span>
          </Label>
          <Textarea
            id="collection-description"
            placeholder="What the collection is for and who uses it"
            rows={3}
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby={descriptionError ? "collection-description-error" : undefined}
            {...form.register("description")}
          />
          {descriptionError ? (
            <p id="collection-description-error" role="alert" className="text-sm text-destructive">
              {descriptionError}
            </p>
          ) : null}
        </div>
        <FormError error={otherError} />
        <DialogFooter>
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            {collection ? "Save changes" : "Create collection"}
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}
