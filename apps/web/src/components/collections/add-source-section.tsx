"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { LoaderCircleIcon, PlusIcon } from "lucide-react";
import { useId } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { ArtifactName, ArtifactType, GitRef, GitUrl, RepoPath, ShortSource, type SourceInput } from "@scriptorium/contract";
import { ArtifactTypeSelect } from "@/components/collections/artifact-type-select";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { ReadOnlyNotice, useCanWrite } from "@/components/write-access";
import { pluralize } from "@/lib/collections";
import { useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { FormField } from "@/components/form-field";

const SOURCE_KINDS = [
  { value: "short", label: "Path or GitHub" },
  { value: "git", label: "Git URL" },
] as const;

// The API's own field schemas; whether a source exists is for the server to say.
const AddSourceForm = z
  .object({
    kind: z.enum(["short", "git"]),
    source: z.string().trim(),
    url: z.string().trim(),
    path: RepoPath,
    ref: GitRef,
    type: ArtifactType.nullable(),
    name: ArtifactName,
  })
  .superRefine((values, context) => {
    // Only the chosen kind's field is the source; the other keeps what was typed there, unchecked.
    const [field, schema] = values.kind === "short" ? (["source", ShortSource] as const) : (["url", GitUrl] as const);
    for (const issue of schema.safeParse(values[field]).error?.issues ?? []) {
      context.addIssue({ code: "custom", path: [field], message: issue.message });
    }
  });
type AddSourceForm = z.infer<typeof AddSourceForm>;

const EMPTY_FORM: AddSourceForm = { kind: "short", source: "", url: "", path: "", ref: "", type: null, name: "" };

function sourceOf(values: AddSourceForm): SourceInput {
  if (values.kind === "short") return values.source;
  return { kind: "git", url: values.url, path: values.path || undefined, ref: values.ref || undefined };
}

/** Copies artifacts into the collection from a local folder, a git repository or GitHub. */
export function AddSourceSection({ collectionId }: { collectionId: string }) {
  const trpc = useTRPC();
  const canWrite = useCanWrite();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const ids = { heading: useId(), source: useId(), url: useId(), path: useId(), ref: useId(), type: useId(), name: useId() };
  const form = useForm<AddSourceForm>({ resolver: zodResolver(AddSourceForm), defaultValues: EMPTY_FORM });
  const kind = form.watch("kind");
  const errors = form.formState.errors;

  const add = useMutation(
    trpc.artifacts.add.mutationOptions({
      onSuccess: async (added, variables) => {
        toast.success(`Added ${pluralize(added.items.length, "artifact")}`, {
          description: added.items.map((artifact) => artifact.name).join(", "),
        });
        // Ready for the next source of the same kind.
        form.reset({ ...EMPTY_FORM, kind: typeof variables.source === "string" ? "short" : "git" });
        await invalidateCollection();
      },
    }),
  );

  function submit(values: AddSourceForm) {
    add.mutate({
      collection_id: collectionId,
      source: sourceOf(values),
      type: values.type ?? undefined,
      name: values.name || undefined,
    });
  }

  return (
    <section aria-labelledby={ids.heading}>
      <Card>
        <CardHeader>
          <CardTitle id={ids.heading}>Add a source</CardTitle>
          <CardDescription>
            Copies artifacts from a folder on this server, a git repository or GitHub. A folder that holds many artifacts adds every
            one of them.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          {canWrite ? null : <ReadOnlyNotice>Adding artifacts needs a write key: this session’s key can only read.</ReadOnlyNotice>}
          <form onSubmit={form.handleSubmit(submit)} noValidate>
            <fieldset disabled={!canWrite} className="grid min-w-0 gap-5">
              <fieldset>
                <legend className="sr-only">Kind of source</legend>
                <div className="inline-flex rounded-lg border bg-muted/50 p-0.5">
                  {SOURCE_KINDS.map((option) => (
                    <label
                      key={option.value}
                      className={cn(
                        "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors",
                        "has-checked:bg-background has-checked:text-foreground has-checked:shadow-xs has-focus-visible:ring-[3px] has-focus-visible:ring-ring/50",
                      )}
                    >
                      <input type="radio" value={option.value} className="sr-only" {...form.register("kind")} />
                      {option.label}
                    </label>
                  ))}
                </div>
              </fieldset>

              {kind === "short" ? (
                <FormField id={ids.source} label="Source" error={errors.source?.message} hint="An absolute path or ./relative path on the server, or owner/repo/path@ref on GitHub.">
                  <Input
                    id={ids.source}
                    placeholder="/abs/path/to/skills, ./relative or owner/repo/path@ref"
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono text-xs"
                    aria-invalid={errors.source ? true : undefined}
                    aria-describedby={`${ids.source}-note`}
                    {...form.register("source")}
                  />
                </FormField>
              ) : (
                <div className="grid gap-4 sm:grid-cols-[2fr_1fr_1fr]">
                  <FormField id={ids.url} label="Repository URL" error={errors.url?.message} hint="https://, http://, file:// or ssh://">
                    <Input
                      id={ids.url}
                      placeholder="https://example.com/team/skills.git"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono text-xs"
                      aria-invalid={errors.url ? true : undefined}
                      aria-describedby={`${ids.url}-note`}
                      {...form.register("url")}
                    />
                  </FormField>
                  <FormField id={ids.path} label="Path" error={errors.path?.message} hint="Optional; default: the root">
                    <Input
                      id={ids.path}
                      placeholder="skills/canvas"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono text-xs"
                      aria-invalid={errors.path ? true : undefined}
                      aria-describedby={`${ids.path}-note`}
                      {...form.register("path")}
                    />
                  </FormField>
                  <FormField id={ids.ref} label="Ref" error={errors.ref?.message} hint="Optional; default branch">
                    <Input
                      id={ids.ref}
                      placeholder="main"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono text-xs"
                      aria-invalid={errors.ref ? true : undefined}
                      aria-describedby={`${ids.ref}-note`}
                      {...form.register("ref")}
                    />
                  </FormField>
                </div>
              )}

              <div className="grid gap-4 sm:grid-cols-2">
                <FormField id={ids.type} label="Type" hint="Detect reads it from the main file (SKILL.md, COMMAND.md, …).">
                  <Controller
                    control={form.control}
                    name="type"
                    render={({ field }) => (
                      <ArtifactTypeSelect
                        id={ids.type}
                        value={field.value}
                        onChange={field.onChange}
                        anyLabel="Detect"
                        describedBy={`${ids.type}-note`}
                        disabled={!canWrite}
                      />
                    )}
                  />
                </FormField>
                <FormField id={ids.name} label="Name" error={errors.name?.message} hint="Optional, for a single artifact; default: its folder or file name.">
                  <Input
                    id={ids.name}
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={errors.name ? true : undefined}
                    aria-describedby={`${ids.name}-note`}
                    {...form.register("name")}
                  />
                </FormField>
              </div>

              <FormError error={add.error} />
              <div>
                <Button type="submit" disabled={add.isPending}>
                  {add.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <PlusIcon aria-hidden="true" />}
                  {add.isPending ? "Adding…" : "Add artifacts"}
                </Button>
              </div>
            </fieldset>
          </form>
        </CardContent>
      </Card>
    </section>
  );
}
