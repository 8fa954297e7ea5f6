"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ChevronDownIcon, LoaderCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import { Controller, useForm, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import {
  CreateProjectInput,
  DEFAULT_TARGET_WORDS,
  isWriterProvider,
  KNOWN_GENRES,
  ModelId,
  PROJECT_LIMITS,
  ProjectFields,
  WRITER_PROVIDERS,
  WriterProvider,
} from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { displayGenre, formatNumber, projectHref, serverFieldErrors, WRITER_DETAILS } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { FormField } from "@/components/form-field";

/** People write "60,000" or "60 000"; the digits are what count. */
export function digitsOf(text: string): string {
  return text.replace(/[\s,_]/g, "");
}

/** A whole number typed into a text field, checked against the API's limits; empty is allowed unless `required`. */
export function wholeNumberText(what: string, min: number, max: number, required: boolean) {
  return z.string().superRefine((text, context) => {
    const digits = digitsOf(text);
    if (digits === "") {
      if (required) context.addIssue({ code: "custom", message: `Enter ${what}.` });
      return;
    }
    const value = Number(digits);
    if (!/^\d+$/.test(digits) || value < min || value > max) {
      context.addIssue({ code: "custom", message: `Enter a whole number from ${formatNumber(min)} to ${formatNumber(max)}.` });
    }
  });
}

function optionalWholeNumber(text: string): number | undefined {
  const digits = digitsOf(text);
  return digits === "" ? undefined : Number(digits);
}

/** The fields as typed: the API's text fields, and numbers as text, checked against the API's limits. */
const ProjectFormFields = z
  .object({
    title: ProjectFields.title,
    genre: ProjectFields.genre,
    target_words: wholeNumberText("the length in words", PROJECT_LIMITS.minTargetWords, PROJECT_LIMITS.maxTargetWords, true),
    writer: z.object({ provider: WriterProvider, model: ModelId, base_url: z.string().trim() }),
    seed: wholeNumberText("a seed", 0, PROJECT_LIMITS.maxSeed, false),
    author: ProjectFields.author,
    protagonist: ProjectFields.protagonist,
    tone: ProjectFields.tone,
    synopsis: ProjectFields.synopsis,
    chapters: wholeNumberText("a number of chapters", 1, PROJECT_LIMITS.maxChapters, false),
    scenes_per_chapter: wholeNumberText("a number of scenes", 1, PROJECT_LIMITS.maxScenesPerChapter, false),
    budget_usd: z.string().trim().refine((text) => text === "" || (/^\d+(\.\d+)?$/.test(text) && Number(text) > 0), "Enter an amount in dollars, e.g. 5 or 2.50."),
  })
  .superRefine((values, context) => {
    if (values.writer.provider === "openai-compatible" && values.writer.base_url === "") {
      context.addIssue({ code: "custom", path: ["writer", "base_url"], message: "Enter the server’s base URL, e.g. http://localhost:11434/v1." });
    }
  });
type ProjectFormValues = z.input<typeof ProjectFormFields>;

const EMPTY_FORM: ProjectFormValues = {
  title: "",
  genre: "",
  target_words: String(DEFAULT_TARGET_WORDS),
  writer: { provider: "offline", model: "", base_url: "" },
  seed: "",
  author: "",
  protagonist: "",
  tone: "",
  synopsis: "",
  chapters: "",
  scenes_per_chapter: "",
  budget_usd: "",
};

/** The fields inside "More options": an error on one of them opens the area so it can be seen. */
const MORE_OPTION_FIELDS: readonly FieldPath<ProjectFormValues>[] = ["author", "protagonist", "tone", "synopsis", "chapters", "scenes_per_chapter"];

const FORM_FIELDS: readonly FieldPath<ProjectFormValues>[] = [
  "title",
  "genre",
  "target_words",
  "writer.provider",
  "writer.model",
  "writer.base_url",
  "budget_usd",
  "seed",
  ...MORE_OPTION_FIELDS,
];

function isFormField(path: string): path is FieldPath<ProjectFormValues> {
  return (FORM_FIELDS as readonly string[]).includes(path);
}

/** Empty optional fields are left out, so the server applies its defaults (a derived chapter count, a random seed). */
function toCreateInput(values: z.output<typeof ProjectFormFields>): z.input<typeof CreateProjectInput> {
  const { provider } = values.writer;
  const budget = values.budget_usd === "" ? undefined : Number(values.budget_usd);
  return {
    title: values.title,
    genre: values.genre || undefined,
    target_words: optionalWholeNumber(values.target_words),
    writer: {
      provider,
      model: provider !== "offline" && values.writer.model ? values.writer.model : undefined,
      base_url: provider === "openai-compatible" ? values.writer.base_url : undefined,
    },
    seed: optionalWholeNumber(values.seed),
    author: values.author || undefined,
    protagonist: values.protagonist || undefined,
    tone: values.tone || undefined,
    synopsis: values.synopsis || undefined,
    chapters: optionalWholeNumber(values.chapters),
    scenes_per_chapter: optionalWholeNumber(values.scenes_per_chapter),
    budget_usd: provider === "offline" ? undefined : budget,
  };
}

/** Typed values become the API's input, checked with the API's own schema: the form refuses what the server would. */
const ProjectForm = ProjectFormFields.transform(toCreateInput).pipe(CreateProjectInput);

/** Creates a project, then opens its page. */
export function ProjectFormDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* Mounted only while open, so every opening starts from a fresh form; tall enough to scroll on a phone. */}
      <DialogContent className="max-h-[calc(100dvh-2rem)] max-w-xl overflow-y-auto">
        {open ? <ProjectFormView onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function ProjectFormView({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const baseId = useId();
  const fieldId = (name: string) => `${baseId}-${name.replace(".", "-")}`;
  const [showMore, setShowMore] = useState(false);
  const form = useForm<ProjectFormValues, unknown, CreateProjectInput>({ resolver: zodResolver(ProjectForm), defaultValues: EMPTY_FORM });
  const provider = form.watch("writer.provider");

  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: (created) => {
        void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
        toast.success(`Created “${created.title}”`);
        onDone();
        router.push(projectHref(created.id));
      },
      // The server's reasons belong next to the fields they are about.
      onError: (error) => {
        for (const field of serverFieldErrors(error)) {
          if (!isFormField(field.path)) continue;
          if (MORE_OPTION_FIELDS.includes(field.path)) setShowMore(true);
          form.setError(field.path, { message: field.message });
        }
      },
    }),
  );
  const placedOnFields = serverFieldErrors(create.error).some((field) => isFormField(field.path));

  function submit(input: CreateProjectInput) {
    create.mutate(input);
  }

  /** The props every text input shares: its id, invalid state, and the note (hint or error) that describes it. */
  function textInput(name: FieldPath<ProjectFormValues>) {
    const id = fieldId(name);
    return { id, "aria-invalid": fieldError(name) ? true : undefined, "aria-describedby": `${id}-note`, ...form.register(name) };
  }
  function fieldError(name: FieldPath<ProjectFormValues>): string | undefined {
    return form.getFieldState(name, form.formState).error?.message;
  }
  const field = (name: FieldPath<ProjectFormValues>, label: ReactNode, hint: string, input: ReactNode) => (
    <FormField id={fieldId(name)} label={label} hint={hint} error={fieldError(name)}>
      {input}
    </FormField>
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>New project</DialogTitle>
        <DialogDescription>One book: what it is about, how long it is and who writes it. Nothing is written until you start it.</DialogDescription>
      </DialogHeader>
      <form className="grid min-w-0 gap-5" onSubmit={form.handleSubmit(submit)} noValidate>
        {field("title", "Title", "The book’s title, as it appears on the manuscript.", <Input placeholder="e.g. The Lantern Keeper" autoComplete="off" {...textInput("title")} />)}

        <div className="grid gap-4 sm:grid-cols-2">
          {field(
            "genre",
            <>
              Genre <Optional />
            </>,
            "Pick one or type your own; it sets the usual chapter length.",
            <>
              <Input placeholder="e.g. fantasy" autoComplete="off" list={`${baseId}-genres`} {...textInput("genre")} />
              <datalist id={`${baseId}-genres`}>
                {KNOWN_GENRES.map((genre) => (
                  <option key={genre} value={genre}>
                    {displayGenre(genre)}
                  </option>
                ))}
              </datalist>
            </>,
          )}
          {field(
            "target_words",
            "Length in words",
            "A novel is usually 60,000 to 90,000.",
            <Input inputMode="numeric" autoComplete="off" {...textInput("target_words")} />,
          )}
        </div>

        <div className="grid gap-4 sm:grid-cols-2">
          <FormField id={fieldId("writer.provider")} label="Writer" hint={WRITER_DETAILS[provider].description}>
            <Controller
              control={form.control}
              name="writer.provider"
              render={({ field: providerField }) => (
                <Select value={providerField.value} onValueChange={(value) => isWriterProvider(value) && providerField.onChange(value)}>
                  <SelectTrigger id={fieldId("writer.provider")} aria-describedby={`${fieldId("writer.provider")}-note`}>
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {WRITER_PROVIDERS.map((option) => (
                      <SelectItem key={option} value={option}>
                        <SelectItemText>{WRITER_DETAILS[option].label}</SelectItemText>
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              )}
            />
          </FormField>
          {field(
            "seed",
            <>
              Seed <Optional />
            </>,
            "The same seed gives the same book; empty picks one at random.",
            <Input inputMode="numeric" autoComplete="off" placeholder="e.g. 42" {...textInput("seed")} />,
          )}
        </div>

        {provider === "offline" ? null : (
          <div className="grid gap-4 sm:grid-cols-2">
            {field(
              "writer.model",
              <>
                Model <Optional />
              </>,
              "Empty uses the provider’s default model.",
              <Input placeholder={provider === "anthropic" ? "e.g. claude-sonnet-4-5" : "e.g. gpt-4o-mini"} autoComplete="off" spellCheck={false} {...textInput("writer.model")} />,
            )}
            {field(
              "budget_usd",
              <>
                Budget in USD <Optional />
              </>,
              "The job pauses before it would spend more.",
              <Input inputMode="decimal" autoComplete="off" placeholder="e.g. 5" {...textInput("budget_usd")} />,
            )}
            {provider === "openai-compatible" ? (
              <div className="sm:col-span-2">
                {field(
                  "writer.base_url",
                  "Base URL",
                  "Where the server answers OpenAI’s chat API.",
                  <Input type="url" placeholder="http://localhost:11434/v1" autoComplete="off" spellCheck={false} {...textInput("writer.base_url")} />,
                )}
              </div>
            ) : null}
          </div>
        )}

        <div className="grid gap-4">
          <button
            type="button"
            className="flex w-fit items-center gap-1.5 rounded-sm text-sm font-medium outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
            aria-expanded={showMore}
            aria-controls={`${baseId}-more`}
            onClick={() => setShowMore((shown) => !shown)}
          >
            <ChevronDownIcon className={cn("size-4 transition-transform", showMore ? "rotate-180" : "")} aria-hidden="true" />
            More options
          </button>
          {/* Hidden rather than unmounted, so what was typed there survives closing it. */}
          <div id={`${baseId}-more`} hidden={!showMore} className="grid gap-4 rounded-lg border bg-muted/30 p-4">
            <div className="grid gap-4 sm:grid-cols-2">
              {field("author", <>Author <Optional /></>, "The name on the title page.", <Input autoComplete="off" {...textInput("author")} />)}
              {field("protagonist", <>Protagonist <Optional /></>, "Empty lets the writer choose.", <Input autoComplete="off" {...textInput("protagonist")} />)}
            </div>
            {field("tone", <>Tone <Optional /></>, "e.g. wry and warm, or bleak and tense.", <Input autoComplete="off" {...textInput("tone")} />)}
            {field("synopsis", <>Synopsis <Optional /></>, "What happens, in as much detail as you like.", <Textarea rows={3} {...textInput("synopsis")} />)}
            <div className="grid gap-4 sm:grid-cols-2">
              {field("chapters", <>Chapters <Optional /></>, "Empty: derived from the length and genre.", <Input inputMode="numeric" autoComplete="off" {...textInput("chapters")} />)}
              {field("scenes_per_chapter", <>Scenes per chapter <Optional /></>, "Empty: 3.", <Input inputMode="numeric" autoComplete="off" {...textInput("scenes_per_chapter")} />)}
            </div>
          </div>
        </div>

        <FormError error={placedOnFields ? null : create.error} />
        <DialogFooter>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            Create project
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}

export function Optional() {
  return <span className="font-normal text-muted-foreground">(optional)</span>;
}
