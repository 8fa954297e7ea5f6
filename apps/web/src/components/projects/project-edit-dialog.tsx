"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useId, type ReactNode } from "react";
import { Controller, useFieldArray, useForm, type Control, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import {
  canonicalLanguageTag,
  describeStageNumbers,
  genreOrDefault,
  isActiveJobStatus,
  isWriterProvider,
  KNOWN_GENRES,
  LanguageTag,
  ModelId,
  PROJECT_LIMITS,
  ProjectFields,
  settingChanges,
  stageByNumber,
  stagesMadeStale,
  UpdateProjectInput,
  WRITER_PROVIDERS,
  WRITER_STAGE_NUMBERS,
  WriterProvider,
  type ProjectSettings,
  type SettingChange,
  type StageWriterConfig,
} from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { FormField } from "@/components/form-field";
import { digitsOf, Optional, wholeNumberText } from "@/components/projects/project-form-dialog";
import { StaleNotice } from "@/components/projects/stale-notice";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { displayGenre, serverFieldErrors, WRITER_DETAILS, type JobStatus, type Project, type StageInfo } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

/** US dollars as typed: empty, or a decimal number. */
function dollarsText(message: string) {
  return z
    .string()
    .trim()
    .refine((text) => text === "" || /^\d+(\.\d+)?$/.test(text), message);
}

/** One writer as typed: the provider, its model and server, and the model's price per million tokens (empty: the price table's). */
const WriterFormFields = z.object({
  provider: WriterProvider,
  model: ModelId,
  base_url: z.string().trim(),
  input_per_mtok: dollarsText("Enter US dollars per million input tokens, e.g. 2.50."),
  output_per_mtok: dollarsText("Enter US dollars per million output tokens, e.g. 10."),
});
type WriterFormValues = z.output<typeof WriterFormFields>;

/** The checks of a writer that span its fields, with each problem on the field to fix. */
function checkWriter(writer: WriterFormValues, path: (string | number)[], context: z.RefinementCtx) {
  if (writer.provider === "openai-compatible" && writer.base_url === "") {
    context.addIssue({ code: "custom", path: [...path, "base_url"], message: "Enter the server’s base URL, e.g. http://localhost:11434/v1." });
  }
  if (writer.provider !== "offline" && (writer.input_per_mtok === "") !== (writer.output_per_mtok === "")) {
    const missing = writer.input_per_mtok === "" ? "input_per_mtok" : "output_per_mtok";
    context.addIssue({ code: "custom", path: [...path, missing], message: "Give both prices, or neither to use the price table’s." });
  }
}

/** Every field of a project as typed; numbers as text, checked against the API's limits. */
const EditFormFields = z
  .object({
    title: ProjectFields.title,
    author: ProjectFields.author,
    genre: ProjectFields.genre,
    synopsis: ProjectFields.synopsis,
    protagonist: ProjectFields.protagonist,
    tone: ProjectFields.tone,
    language: LanguageTag,
    target_words: wholeNumberText("the length in words", PROJECT_LIMITS.minTargetWords, PROJECT_LIMITS.maxTargetWords, true),
    chapters: wholeNumberText("a number of chapters", 1, PROJECT_LIMITS.maxChapters, true),
    // Empty when the outline gives chapters different numbers of scenes: left as the outline has it unless a number is entered.
    scenes_per_chapter: wholeNumberText("a number of scenes", 1, PROJECT_LIMITS.maxScenesPerChapter, false),
    seed: wholeNumberText("a seed", 0, PROJECT_LIMITS.maxSeed, true),
    budget_usd: dollarsText("Enter an amount in dollars, e.g. 5 or 2.50."),
    writer: WriterFormFields,
    stages: z.array(WriterFormFields.extend({ stage: z.string() })),
  })
  .superRefine((values, context) => {
    checkWriter(values.writer, ["writer"], context);
    values.stages.forEach((stageWriter, index) => {
      checkWriter(stageWriter, ["stages", index], context);
      if (values.stages.findIndex((other) => other.stage === stageWriter.stage) < index) {
        context.addIssue({ code: "custom", path: ["stages", index, "stage"], message: "This stage already has a writer above." });
      }
    });
  });
type EditFormValues = z.input<typeof EditFormFields>;
type EditFormOutput = z.output<typeof EditFormFields>;

/** The writer fields every writer has in the form, by the API's names. */
const WRITER_FIELDS = ["provider", "model", "base_url", "input_per_mtok", "output_per_mtok"] as const;
const TOP_FIELDS = ["title", "author", "genre", "synopsis", "protagonist", "tone", "language", "target_words", "chapters", "scenes_per_chapter", "seed", "budget_usd"] as const;

function writerValuesOf(writer: StageWriterConfig): WriterFormValues {
  return {
    provider: writer.provider,
    model: writer.model ?? "",
    base_url: writer.base_url ?? "",
    input_per_mtok: writer.price ? String(writer.price.input_per_mtok) : "",
    output_per_mtok: writer.price ? String(writer.price.output_per_mtok) : "",
  };
}

function formValuesOf(project: Project): EditFormValues {
  return {
    title: project.title,
    author: project.author,
    genre: project.genre,
    synopsis: project.synopsis,
    protagonist: project.protagonist,
    tone: project.tone,
    language: project.language,
    target_words: String(project.target_words),
    chapters: String(project.chapters),
    scenes_per_chapter: project.scenes_per_chapter === null ? "" : String(project.scenes_per_chapter),
    seed: String(project.seed),
    budget_usd: project.budget_usd === null ? "" : String(project.budget_usd),
    writer: writerValuesOf(project.writer),
    stages: Object.entries(project.writer.stages)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([stage, writer]) => ({ stage, ...writerValuesOf(writer) })),
  };
}

/** A writer as the API takes it: what a provider does not use is left out, and a blank price takes the table's. */
function writerInput(writer: WriterFormValues) {
  const { provider } = writer;
  return {
    provider,
    model: provider !== "offline" && writer.model ? writer.model : null,
    base_url: provider === "openai-compatible" ? writer.base_url : null,
    price:
      provider !== "offline" && writer.input_per_mtok !== "" && writer.output_per_mtok !== ""
        ? { input_per_mtok: Number(writer.input_per_mtok), output_per_mtok: Number(writer.output_per_mtok) }
        : null,
  };
}

/** Every field, sent whole: the server changes (and makes stale) only what differs. */
function toUpdateInput(id: string, values: EditFormOutput): z.input<typeof UpdateProjectInput> {
  return {
    id,
    title: values.title,
    author: values.author,
    genre: values.genre,
    synopsis: values.synopsis,
    protagonist: values.protagonist,
    tone: values.tone,
    language: values.language,
    target_words: Number(digitsOf(values.target_words)),
    chapters: Number(digitsOf(values.chapters)),
    scenes_per_chapter: digitsOf(values.scenes_per_chapter) === "" ? undefined : Number(digitsOf(values.scenes_per_chapter)),
    seed: Number(digitsOf(values.seed)),
    budget_usd: values.budget_usd === "" ? null : Number(values.budget_usd),
    writer: { ...writerInput(values.writer), stages: Object.fromEntries(values.stages.map((stageWriter) => [stageWriter.stage, writerInput(stageWriter)])) },
  };
}

/** The settings as they would be saved, for showing what saving makes stale; what does not parse yet counts as unchanged. */
function previewSettings(project: Project, values: EditFormValues): ProjectSettings {
  const whole = <Fallback extends number | null>(text: string, fallback: Fallback) => (/^\d+$/.test(digitsOf(text)) ? Number(digitsOf(text)) : fallback);
  return {
    title: values.title.trim(),
    author: values.author.trim(),
    genre: genreOrDefault(values.genre),
    synopsis: values.synopsis.trim(),
    protagonist: values.protagonist.trim(),
    tone: values.tone.trim(),
    language: canonicalLanguageTag(values.language.trim()) ?? project.language,
    target_words: whole(values.target_words, project.target_words),
    chapters: whole(values.chapters, project.chapters),
    scenes_per_chapter: whole(values.scenes_per_chapter, project.scenes_per_chapter),
    seed: whole(values.seed, project.seed),
    writer: { ...writerInput(values.writer), stages: Object.fromEntries(values.stages.map((stageWriter) => [stageWriter.stage, writerInput(stageWriter)])) },
  };
}

/** Where the form shows a problem the API names by its own path ("writer.stages.7.price" is the price of the row for stage 7). */
function formPathOf(apiPath: string, stages: readonly { stage: string }[]): FieldPath<EditFormValues> | null {
  if ((TOP_FIELDS as readonly string[]).includes(apiPath)) return apiPath as FieldPath<EditFormValues>;
  const [head, ...rest] = apiPath.split(".");
  if (head !== "writer") return null;
  let prefix = "writer";
  let field = rest;
  if (rest[0] === "stages") {
    const index = stages.findIndex((stageWriter) => stageWriter.stage === rest[1]);
    if (index < 0) return null;
    prefix = `stages.${index}`;
    field = rest.slice(2);
  }
  const name = field[0] === "price" ? (field[1] === "output_per_mtok" ? "output_per_mtok" : "input_per_mtok") : (field[0] ?? "provider");
  return (WRITER_FIELDS as readonly string[]).includes(name) ? (`${prefix}.${name}` as FieldPath<EditFormValues>) : null;
}

interface ProjectEditDialogProps {
  projectId: string;
  /** The latest job: a change that makes stages stale waits until no job is active. */
  job: JobStatus | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Opens with this field focused, for a change asked for elsewhere (raising the budget of a paused job). */
  focus?: "budget_usd";
  onSaved?: () => void;
}

/** Changes any field of a project, saying first which stages the change makes stale. */
export function ProjectEditDialog({ projectId, job, open, onOpenChange, focus, onSaved }: ProjectEditDialogProps) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ id: projectId }));
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* Mounted only while open, so every opening starts from the project as it is now. */}
      <DialogContent className="max-h-[calc(100dvh-2rem)] max-w-2xl overflow-y-auto">
        {open && project.data ? (
          <EditForm
            project={project.data}
            job={job}
            focus={focus}
            onDone={() => {
              onOpenChange(false);
              onSaved?.();
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function EditForm({ project, job, focus, onDone }: { project: Project; job: JobStatus | null; focus: "budget_usd" | undefined; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const baseId = useId();
  const fieldId = (name: string) => `${baseId}-${name.replaceAll(".", "-")}`;
  const stages = useQuery(trpc.generation.stages.queryOptions({ id: project.id }));
  const form = useForm<EditFormValues, unknown, EditFormOutput>({ resolver: zodResolver(EditFormFields), defaultValues: formValuesOf(project) });
  const stageWriters = useFieldArray({ control: form.control, name: "stages" });
  const values = form.watch();

  const changes = settingChanges(project, previewSettings(project, values));
  const stale = stagesMadeStale(changes, stages.data?.items ?? []);
  const activeJob = job !== null && isActiveJobStatus(job.status) ? job : null;
  const blocked = activeJob !== null && stale.length > 0;

  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.projects.get.queryKey({ id: updated.id }), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.generation.stages.queryKey({ id: updated.id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.generation.status.queryKey({ id: updated.id }) });
        toast.success(stale.length > 0 ? `Saved; stage${stale.length === 1 ? "" : "s"} ${describeStageNumbers(stale)} now stale` : "Saved");
        onDone();
      },
      // The server's reasons belong next to the fields they are about.
      onError: (error) => {
        for (const field of serverFieldErrors(error)) {
          const path = formPathOf(field.path, form.getValues("stages"));
          if (path) form.setError(path, { message: field.message });
        }
      },
    }),
  );
  const placedOnFields = serverFieldErrors(update.error).some((field) => formPathOf(field.path, values.stages) !== null);

  function submit(output: EditFormOutput) {
    const input = toUpdateInput(project.id, output);
    // The API's own schema has the last word (a price over its bound, say), with its reasons on the fields.
    const checked = UpdateProjectInput.safeParse(input);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const path = formPathOf(issue.path.join("."), output.stages);
        if (path) form.setError(path, { message: issue.message });
      }
      return;
    }
    update.mutate(input);
  }

  function fieldError(name: FieldPath<EditFormValues>): string | undefined {
    return form.getFieldState(name, form.formState).error?.message;
  }
  /** The props every text input shares: its id, invalid state, and the note (hint or error) that describes it. */
  function textInput(name: FieldPath<EditFormValues>) {
    const id = fieldId(name);
    return { id, "aria-invalid": fieldError(name) ? true : undefined, "aria-describedby": `${id}-note`, ...form.register(name) };
  }
  const field = (name: FieldPath<EditFormValues>, label: ReactNode, hint: string, input: ReactNode) => (
    <FormField id={fieldId(name)} label={label} hint={hint} error={fieldError(name)}>
      {input}
    </FormField>
  );
  const writerFields = (prefix: "writer" | `stages.${number}`, provider: WriterProvider) => (
    <WriterFields prefix={prefix} provider={provider} control={form.control} field={field} textInput={textInput} fieldId={fieldId} />
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>Edit project</DialogTitle>
        <DialogDescription>
          {focus === "budget_usd"
            ? "Raise the budget and save; the job’s plan then shows what it still has to do before it resumes."
            : "Every setting of the book. Saving shows first which stages the change makes stale; the next Start writes them again."}
        </DialogDescription>
      </DialogHeader>
      <form className="grid min-w-0 gap-6" onSubmit={form.handleSubmit(submit)} noValidate>
        <Section title="The book">
          {field("title", "Title", "The book’s title, as it appears on the manuscript.", <Input autoComplete="off" {...textInput("title")} />)}
          <div className="grid gap-4 sm:grid-cols-2">
            {field("author", <>Author <Optional /></>, "The name on the title page.", <Input autoComplete="off" {...textInput("author")} />)}
            {field(
              "genre",
              <>
                Genre <Optional />
              </>,
              "Pick one or type your own; empty is literary.",
              <>
                <Input autoComplete="off" list={`${baseId}-genres`} {...textInput("genre")} />
                <datalist id={`${baseId}-genres`}>
                  {KNOWN_GENRES.map((genre) => (
                    <option key={genre} value={genre}>
                      {displayGenre(genre)}
                    </option>
                  ))}
                </datalist>
              </>,
            )}
            {field("protagonist", <>Protagonist <Optional /></>, "Empty lets the writer choose.", <Input autoComplete="off" {...textInput("protagonist")} />)}
            {field("tone", <>Tone <Optional /></>, "e.g. wry and warm, or bleak and tense.", <Input autoComplete="off" {...textInput("tone")} />)}
          </div>
          {field("synopsis", <>Synopsis <Optional /></>, "What happens, in as much detail as you like.", <Textarea rows={3} {...textInput("synopsis")} />)}
        </Section>

        <Section title="Shape">
          <div className="grid gap-4 sm:grid-cols-3">
            {field("target_words", "Length in words", "The whole book.", <Input inputMode="numeric" autoComplete="off" {...textInput("target_words")} />)}
            {field("chapters", "Chapters", "Every scene needs 100 words or more.", <Input inputMode="numeric" autoComplete="off" {...textInput("chapters")} />)}
            {field("scenes_per_chapter", "Scenes per chapter", "1 to 12.", <Input inputMode="numeric" autoComplete="off" {...textInput("scenes_per_chapter")} />)}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            {field("language", "Language", "A BCP 47 tag: en, fr, pt-BR. The offline writer writes English.", <Input autoComplete="off" spellCheck={false} {...textInput("language")} />)}
            {field("seed", "Seed", "The same seed gives the same book with the offline writer.", <Input inputMode="numeric" autoComplete="off" {...textInput("seed")} />)}
          </div>
        </Section>

        <Section title="Writer and budget" description="A new writer writes what runs next; what is written stays. Start over, or run a stage, to write it again with the new one.">
          {writerFields("writer", values.writer.provider)}
          {field(
            "budget_usd",
            <>
              Budget in USD <Optional />
            </>,
            "Covers every job of the project; a job pauses before it would spend more. Models need a known price.",
            <Input inputMode="decimal" autoComplete="off" placeholder="e.g. 5" autoFocus={focus === "budget_usd"} {...textInput("budget_usd")} />,
          )}
        </Section>

        <Section title="Writers for single stages" description="A writer of its own for some stages, in place of the project’s: a strong model for the outline, a cheap one for the revisions.">
          {stageWriters.fields.length === 0 ? <p className="text-sm text-muted-foreground">Every stage uses the project’s writer.</p> : null}
          <ol className="grid gap-3" aria-label="Stage writers">
            {stageWriters.fields.map((row, index) => (
              <li key={row.id} className="grid gap-4 rounded-lg border bg-muted/30 p-4">
                <div className="flex items-end gap-3">
                  <div className="min-w-0 flex-1">
                    <FormField id={fieldId(`stages.${index}.stage`)} label="Stage" hint="The stage this writer runs." error={fieldError(`stages.${index}.stage`)}>
                      <Controller
                        control={form.control}
                        name={`stages.${index}.stage`}
                        render={({ field: stageField }) => (
                          <Select value={stageField.value} onValueChange={stageField.onChange}>
                            <SelectTrigger id={fieldId(`stages.${index}.stage`)} aria-describedby={`${fieldId(`stages.${index}.stage`)}-note`}>
                              <SelectValue />
                            </SelectTrigger>
                            <SelectContent>
                              {WRITER_STAGE_NUMBERS.map((number) => (
                                <SelectItem key={number} value={String(number)}>
                                  <SelectItemText>
                                    {number} · {stageByNumber(number)?.name}
                                  </SelectItemText>
                                </SelectItem>
                              ))}
                            </SelectContent>
                          </Select>
                        )}
                      />
                    </FormField>
                  </div>
                  <Button variant="ghost" size="sm" className="mb-6" onClick={() => stageWriters.remove(index)} aria-label={`Remove the writer of stage ${values.stages[index]?.stage ?? ""}`}>
                    <Trash2Icon aria-hidden="true" />
                    Remove
                  </Button>
                </div>
                {writerFields(`stages.${index}`, values.stages[index]?.provider ?? "offline")}
              </li>
            ))}
          </ol>
          <Button
            variant="outline"
            size="sm"
            className="w-fit"
            disabled={stageWriters.fields.length >= WRITER_STAGE_NUMBERS.length}
            onClick={() => {
              const taken = new Set(values.stages.map((stageWriter) => stageWriter.stage));
              const free = WRITER_STAGE_NUMBERS.find((number) => !taken.has(String(number))) ?? WRITER_STAGE_NUMBERS[0];
              stageWriters.append({ stage: String(free), provider: "offline", model: "", base_url: "", input_per_mtok: "", output_per_mtok: "" });
            }}
          >
            <PlusIcon aria-hidden="true" />
            Add a stage writer
          </Button>
        </Section>

        <ChangeEffects changes={changes} stale={stale} stages={stages.data?.items} activeJob={activeJob} />

        <FormError error={placedOnFields ? null : update.error} />
        <DialogFooter>
          <Button type="submit" disabled={update.isPending || blocked || !form.formState.isDirty}>
            {update.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            Save changes
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}

interface WriterFieldsProps {
  prefix: "writer" | `stages.${number}`;
  provider: WriterProvider;
  control: Control<EditFormValues, unknown, EditFormOutput>;
  field: (name: FieldPath<EditFormValues>, label: ReactNode, hint: string, input: ReactNode) => ReactNode;
  textInput: (name: FieldPath<EditFormValues>) => Record<string, unknown>;
  fieldId: (name: string) => string;
}

/** A writer's fields: its provider, and for a model its id, server and price. */
function WriterFields({ prefix, provider, control, field, textInput, fieldId }: WriterFieldsProps) {
  const providerId = fieldId(`${prefix}.provider`);
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        {field(
          `${prefix}.provider`,
          "Writer",
          WRITER_DETAILS[provider].description,
          <Controller
            control={control}
            name={`${prefix}.provider`}
            render={({ field: providerField }) => (
              <Select value={providerField.value} onValueChange={(value) => isWriterProvider(value) && providerField.onChange(value)}>
                <SelectTrigger id={providerId} aria-describedby={`${providerId}-note`}>
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
          />,
        )}
      </div>
      {provider === "offline" ? null : (
        <>
          {field(
            `${prefix}.model`,
            <>
              Model <Optional />
            </>,
            "Empty uses the provider’s default model.",
            <Input autoComplete="off" spellCheck={false} placeholder={provider === "anthropic" ? "e.g. claude-sonnet-4-5" : "e.g. gpt-4o-mini"} {...textInput(`${prefix}.model`)} />,
          )}
          {provider === "openai-compatible"
            ? field(`${prefix}.base_url`, "Base URL", "Where the server answers OpenAI’s chat API.", <Input type="url" autoComplete="off" spellCheck={false} placeholder="http://localhost:11434/v1" {...textInput(`${prefix}.base_url`)} />)
            : <div className="hidden sm:block" />}
          {field(
            `${prefix}.input_per_mtok`,
            <>
              Input price per million tokens <Optional />
            </>,
            "US dollars; empty takes the price table’s.",
            <Input inputMode="decimal" autoComplete="off" placeholder="e.g. 2.50" {...textInput(`${prefix}.input_per_mtok`)} />,
          )}
          {field(
            `${prefix}.output_per_mtok`,
            <>
              Output price per million tokens <Optional />
            </>,
            "US dollars; give both prices or neither.",
            <Input inputMode="decimal" autoComplete="off" placeholder="e.g. 10" {...textInput(`${prefix}.output_per_mtok`)} />,
          )}
        </>
      )}
    </div>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <fieldset className="grid min-w-0 gap-4">
      <legend className="mb-1 text-sm font-semibold">{title}</legend>
      {description ? <p className="-mt-2 text-xs text-muted-foreground">{description}</p> : null}
      {children}
    </fieldset>
  );
}

/** What saving would do to what is written: which stages become stale, and why; or that nothing does. */
function ChangeEffects(props: { changes: readonly SettingChange[]; stale: readonly number[]; stages: readonly StageInfo[] | undefined; activeJob: JobStatus | null }) {
  const { changes, stale, stages, activeJob } = props;
  const fields = changes.map((change) => `${change.field} (from stage ${change.firstStage})`).join(", ");
  const staleText = stale.some((number) => number >= 6 && number <= 11);
  return (
    <StaleNotice
      stale={stale}
      stages={stages}
      activeJob={activeJob}
      allowedWhileActive="The budget and the writers can change now."
      nothingStale={
        changes.length === 0
          ? "Nothing written becomes stale."
          : "Nothing written becomes stale: the stages written from these settings have not run yet, or are stale already."
      }
      explanation={
        <>
          Changed: {fields}. The next Start writes {stale.length === 1 ? "it" : "them"} again from the new settings
          {staleText ? "; until drafting has run again, the manuscript cannot be read or exported." : "."}
        </>
      }
    />
  );
}
