"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { describeStageNumbers, isActiveJobStatus, STAGE, stagesMadeStaleByEdit } from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { FormField } from "@/components/form-field";
import { StaleNotice } from "@/components/projects/stale-notice";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { serverFieldErrors, type FieldError, type JobStatus, type StageInfo, type StageOutput } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

type Output = NonNullable<StageOutput["output"]>;
type Cast = Extract<Output, { cast: unknown }>;
type Character = Cast["cast"][number];

interface StageDocumentEditorProps {
  projectId: string;
  stage: StageInfo;
  /** The stage's current document, the starting point of the edit. */
  document: Output;
  job: JobStatus | null;
  onSaved: () => void;
}

/**
 * Edits a planning stage's document (stages 1–5) and stores it as the
 * stage's next version. The cast has a form of its own (the edit writers
 * make most: renaming a character, changing a goal); the other planning
 * documents are edited as they are sent, in JSON. Before saving it says which
 * later stages the edit makes stale.
 */
export function StageDocumentEditor({ projectId, stage, document, job, onSaved }: StageDocumentEditorProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stages = useQuery(trpc.generation.stages.queryOptions({ id: projectId }));
  const activeJob = job !== null && isActiveJobStatus(job.status) ? job : null;
  const stale = stagesMadeStaleByEdit(stage.number, stages.data?.items ?? []);

  const save = useMutation(
    trpc.generation.editStage.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
        toast.success(stale.length > 0 ? `Saved as a new version; stage${stale.length === 1 ? "" : "s"} ${describeStageNumbers(stale)} now stale` : "Saved as a new version");
        onSaved();
      },
    }),
  );
  const fieldErrors = serverFieldErrors(save.error);

  function submit(edited: Output) {
    save.mutate({ id: projectId, stage_number: stage.number, ...edited });
  }

  const effects = (
    <StaleNotice
      stale={stale}
      stages={stages.data?.items}
      activeJob={activeJob}
      nothingStale="Nothing written becomes stale: no later stage has run yet."
      explanation={
        <>
          They were written from this {stage.name.toLowerCase()}. The next Start writes {stale.length === 1 ? "it" : "them"} again from your version
          {stage.number === STAGE.characters ? ", so a renamed character reaches the outline and the prose." : "."} The version you replace stays among the versions.
        </>
      }
    />
  );
  const footer = { effects, pending: save.isPending, blocked: activeJob !== null && stale.length > 0, error: fieldErrors.length > 0 ? null : save.error, fieldErrors };

  return "cast" in document ? <CastForm cast={document} onSubmit={submit} footer={footer} /> : <JsonDocumentForm document={document} onSubmit={submit} footer={footer} />;
}

const BLANK_CHARACTER: Character = { name: "", role: "protagonist", goal: "", arc: "", voice: "", traits: [], relationships: [] };

/**
 * What a planning stage that never ran starts from when the writer writes it
 * themselves: every field of the stage's document, empty, in the shape its
 * schema asks for (an edited stage counts as completed, so the next start
 * builds on it).
 */
export function blankDocument(stage: number): Output | null {
  switch (stage) {
    case STAGE.high_concept:
      return { logline: "", premise: "", themes: [""], motifs: [""], core_conflict: "", narrative_voice: { person: "third", tense: "past", description: "" } };
    case STAGE.world_building:
      return { setting: { name: "", era: "", description: "" }, places: [{ name: "", description: "" }], rules: [], culture: [] };
    case STAGE.beat_sheet:
      return {
        beats: [
          { act: 1, name: "", description: "", position: 0.1 },
          { act: 2, name: "", description: "", position: 0.5 },
          { act: 3, name: "", description: "", position: 0.9 },
        ],
        pacing_curve: [],
      };
    case STAGE.characters:
      return { cast: [BLANK_CHARACTER, { ...BLANK_CHARACTER, role: "antagonist" }] };
    case STAGE.scene_outline:
      return { chapters: [{ number: 1, title: "", scenes: [{ number: 1, pov: "", place: "", goal: "", conflict: "", outcome: "", target_words: 1_000 }] }] };
    default:
      return null;
  }
}

interface FooterProps {
  effects: ReactNode;
  pending: boolean;
  blocked: boolean;
  error: unknown;
  fieldErrors: readonly FieldError[];
}

function EditorFooter({ footer, changed }: { footer: FooterProps; changed: boolean }) {
  return (
    <div className="grid gap-3">
      {footer.effects}
      {footer.fieldErrors.length > 0 ? (
        <div role="alert" className="grid gap-1 rounded-md border border-destructive/40 p-3 text-sm text-destructive">
          <p className="font-medium">The document was not saved:</p>
          <ul className="list-disc pl-5" aria-label="Problems">
            {footer.fieldErrors.map((field) => (
              <li key={`${field.path}:${field.message}`}>
                <span className="font-mono text-xs">{field.path}</span>: {field.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormError error={footer.error} />
      <div className="flex justify-end">
        <Button type="submit" disabled={footer.pending || footer.blocked || !changed}>
          {footer.pending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Save as new version
        </Button>
      </div>
    </div>
  );
}

/** One character in the form, with a key that survives a rename and the name it had when the form opened. */
interface CharacterDraft {
  key: number;
  /** Null for a character added in this edit. */
  originalName: string | null;
  name: string;
  role: string;
  goal: string;
  arc: string;
  voice: string;
  traits: string;
  relationships: string;
}

function draftOf(character: Character, key: number): CharacterDraft {
  return {
    key,
    originalName: character.name,
    name: character.name,
    role: character.role,
    goal: character.goal,
    arc: character.arc,
    voice: character.voice,
    traits: character.traits.join(", "),
    relationships: character.relationships.map((relationship) => `${relationship.kind} of ${relationship.with}`).join("; "),
  };
}

function listOf(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** "rival of Mara Vell" → { kind: "rival", with: "Mara Vell" }; a part without " of " names the other character alone. */
function relationshipOf(text: string): Character["relationships"][number] {
  const at = text.indexOf(" of ");
  return at < 0 ? { kind: "knows", with: text } : { kind: text.slice(0, at).trim(), with: text.slice(at + 4).trim() };
}

/**
 * The cast as the form left it. A renamed character is renamed in the other
 * characters' relationships too, so the document stays consistent with itself.
 */
function castOf(drafts: readonly CharacterDraft[]): Cast {
  const renames = new Map(drafts.flatMap((draft) => (draft.originalName !== null && draft.originalName !== draft.name.trim() ? [[draft.originalName, draft.name.trim()] as const] : [])));
  return {
    cast: drafts.map((draft) => ({
      name: draft.name.trim(),
      role: draft.role.trim(),
      goal: draft.goal.trim(),
      arc: draft.arc.trim(),
      voice: draft.voice.trim(),
      traits: listOf(draft.traits, ","),
      relationships: listOf(draft.relationships, ";")
        .map(relationshipOf)
        .map((relationship) => ({ ...relationship, with: renames.get(relationship.with) ?? relationship.with })),
    })),
  };
}

const EMPTY_CHARACTER: Omit<CharacterDraft, "key"> = { originalName: null, name: "", role: "supporting", goal: "", arc: "", voice: "", traits: "", relationships: "" };

function CastForm({ cast, onSubmit, footer }: { cast: Cast; onSubmit: (edited: Cast) => void; footer: FooterProps }) {
  const baseId = useId();
  const [drafts, setDrafts] = useState(() => cast.cast.map(draftOf));
  const [nextKey, setNextKey] = useState(cast.cast.length);
  const edited = castOf(drafts);
  const changed = JSON.stringify(edited) !== JSON.stringify(cast);
  const nameless = drafts.some((draft) => draft.name.trim() === "");

  function change(key: number, field: keyof Omit<CharacterDraft, "key" | "originalName">, value: string) {
    setDrafts((current) => current.map((draft) => (draft.key === key ? { ...draft, [field]: value } : draft)));
  }
  /** The server's reason for one field of one character, if it gave one. */
  function errorOf(index: number, field: string): string | undefined {
    return footer.fieldErrors.find((error) => error.path === `cast.${index}.${field}`)?.message;
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!nameless) onSubmit(edited);
  }

  return (
    <form className="grid gap-4" onSubmit={submit} aria-label="Edit the cast">
      <ol className="grid gap-3" aria-label="Characters">
        {drafts.map((draft, index) => {
          const id = (field: string) => `${baseId}-${draft.key}-${field}`;
          const text = (field: "name" | "role" | "traits" | "relationships", label: string, hint: string) => (
            <FormField id={id(field)} label={label} hint={hint} error={field === "name" && draft.name.trim() === "" ? "A character needs a name." : errorOf(index, field)}>
              <Input id={id(field)} value={draft[field]} onChange={(event) => change(draft.key, field, event.target.value)} aria-describedby={`${id(field)}-note`} />
            </FormField>
          );
          const prose = (field: "goal" | "arc" | "voice", label: string, hint: string) => (
            <FormField id={id(field)} label={label} hint={hint} error={errorOf(index, field)}>
              <Textarea id={id(field)} rows={2} value={draft[field]} onChange={(event) => change(draft.key, field, event.target.value)} aria-describedby={`${id(field)}-note`} />
            </FormField>
          );
          return (
            <li key={draft.key} className="grid gap-3 rounded-lg border p-4" aria-label={draft.name.trim() || `Character ${index + 1}`}>
              <div className="grid gap-3 sm:grid-cols-2">
                {text("name", "Name", draft.originalName !== null && draft.originalName !== draft.name.trim() ? `Was ${draft.originalName}; renamed everywhere in the cast` : "As the book calls them")}
                {text("role", "Role", "protagonist, antagonist, supporting…")}
              </div>
              {prose("goal", "Goal", "What they want")}
              {prose("arc", "Arc", "How they change")}
              {prose("voice", "Voice", "How they speak")}
              {text("traits", "Traits", "Separated by commas")}
              {text("relationships", "Relationships", "“rival of Mara Vell; mentor of Tom”, separated by semicolons")}
              <div className="flex justify-end">
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  disabled={drafts.length <= 2}
                  title={drafts.length <= 2 ? "A cast has at least two characters" : undefined}
                  onClick={() => setDrafts((current) => current.filter((candidate) => candidate.key !== draft.key))}
                >
                  <Trash2Icon aria-hidden="true" />
                  Remove {draft.name.trim() || "this character"}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <Button
        type="button"
        variant="outline"
        className="justify-self-start"
        onClick={() => {
          setDrafts((current) => [...current, { ...EMPTY_CHARACTER, key: nextKey }]);
          setNextKey((key) => key + 1);
        }}
      >
        <PlusIcon aria-hidden="true" />
        Add a character
      </Button>
      <EditorFooter footer={{ ...footer, blocked: footer.blocked || nameless }} changed={changed} />
    </form>
  );
}

/** The other planning documents, edited as the API takes them. */
function JsonDocumentForm({ document, onSubmit, footer }: { document: Output; onSubmit: (edited: Output) => void; footer: FooterProps }) {
  const id = useId();
  const original = JSON.stringify(document, null, 2);
  const [text, setText] = useState(original);
  const parsed = parseDocument(text);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (parsed.ok) onSubmit(parsed.document);
  }

  return (
    <form className="grid gap-4" onSubmit={submit} aria-label="Edit the document">
      <FormField
        id={id}
        label="Document"
        hint="The stage's document in JSON, as the API sends and takes it: change the texts between quotes, keep the fields."
        error={parsed.ok ? undefined : parsed.message}
      >
        <Textarea
          id={id}
          rows={18}
          spellCheck={false}
          className="font-mono text-xs leading-5"
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={parsed.ok ? undefined : true}
          aria-describedby={`${id}-note`}
        />
      </FormField>
      <EditorFooter footer={{ ...footer, blocked: footer.blocked || !parsed.ok }} changed={text !== original} />
    </form>
  );
}

function parseDocument(text: string): { ok: true; document: Output } | { ok: false; message: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, message: "The document is a JSON object: { … }." };
    // The server checks the fields against the stage's schema and names any that are wrong.
    return { ok: true, document: value as Output };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
