"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { filePathProblem } from "@scriptorium/contract";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { FormError } from "@/components/form-error";
import { FormField } from "@/components/form-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { bytesToBase64, encodeText, INLINE_FILE_BYTES } from "@/lib/artifact-files";
import { useTRPC } from "@/lib/trpc";

interface NewFileDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collectionId: string;
  artifactId: string;
  /** The artifact's files: a new file must not take one's place silently. */
  existingPaths: readonly string[];
  onCreated: (path: string) => void;
}

/** Adds a text file to the artifact's stored copy. */
export function NewFileDialog({ open, onOpenChange, ...props }: NewFileDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* Mounted only while open, so every opening starts from a fresh form. */}
      <DialogContent className="max-w-2xl">{open ? <NewFileForm {...props} onDone={() => onOpenChange(false)} /> : null}</DialogContent>
    </Dialog>
  );
}

/** The same path rule the server applies, plus "not taken", so mistakes show before a round trip. */
function newFileSchema(existingPaths: readonly string[]) {
  const taken = new Set(existingPaths);
  return z.object({
    path: z
      .string()
      .trim()
      .superRefine((path, context) => {
        if (path === "") {
          context.addIssue({ code: "custom", message: "Give the file a path, e.g. scripts/run.sh." });
          return;
        }
        const problem = filePathProblem(path);
        if (problem) context.addIssue({ code: "custom", message: `This path ${problem}.` });
        else if (taken.has(path)) context.addIssue({ code: "custom", message: "A file with this path exists: open it and edit it instead." });
      }),
    content: z.string().refine((content) => encodeText(content).length <= INLINE_FILE_BYTES, "Text over 1 MiB cannot be added here; upload it through the API."),
  });
}

function NewFileForm({ collectionId, artifactId, existingPaths, onCreated, onDone }: Omit<NewFileDialogProps, "open" | "onOpenChange"> & { onDone: () => void }) {
  const trpc = useTRPC();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const ids = { path: useId(), content: useId() };
  const schema = newFileSchema(existingPaths);
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { path: "", content: "" } });
  const create = useMutation(
    trpc.artifacts.writeFile.mutationOptions({
      onSuccess: async (edit) => {
        // The list must hold the file before the page opens it.
        await invalidateCollection();
        toast.success(`Created ${edit.file?.path ?? "the file"}`);
        onDone();
        if (edit.file) onCreated(edit.file.path);
      },
    }),
  );
  const pathError = form.formState.errors.path?.message;
  const contentError = form.formState.errors.content?.message;

  return (
    <>
      <DialogHeader>
        <DialogTitle>New file</DialogTitle>
        <DialogDescription>Adds a file to this collection’s copy of the artifact; upstream is not touched. A snapshot is taken first.</DialogDescription>
      </DialogHeader>
      <form
        className="grid gap-5"
        noValidate
        onSubmit={form.handleSubmit((values) =>
          create.mutate({ collection_id: collectionId, artifact_id: artifactId, path: values.path, content_base64: bytesToBase64(encodeText(values.content)) }),
        )}
      >
        <FormField id={ids.path} label="Path" hint="Relative to the artifact, folders separated by /, e.g. scripts/run.sh." error={pathError}>
          <Input
            id={ids.path}
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={pathError ? true : undefined}
            aria-describedby={`${ids.path}-note`}
            {...form.register("path")}
          />
        </FormField>
        <FormField id={ids.content} label={<>Contents <span className="font-normal text-muted-foreground">(optional)</span></>} hint="UTF-8 text; you can also edit it after creating the file." error={contentError}>
          <Textarea
            id={ids.content}
            rows={10}
            className="font-mono text-xs"
            spellCheck={false}
            wrap="off"
            aria-invalid={contentError ? true : undefined}
            aria-describedby={`${ids.content}-note`}
            {...form.register("content")}
          />
        </FormField>
        <FormError error={create.error} />
        <DialogFooter>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            Create file
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}
