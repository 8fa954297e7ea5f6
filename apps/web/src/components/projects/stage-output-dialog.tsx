"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, AlertTriangleIcon, CircleCheckIcon, FileTextIcon, HistoryIcon, PencilIcon, RefreshCwIcon } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { isActiveJobStatus, STAGE } from "@scriptorium/contract";
import { ChapterNavigator, ChapterText } from "@/components/projects/chapter-text";
import { blankDocument, StageDocumentEditor } from "@/components/projects/stage-document-editor";
import { StageVersions } from "@/components/projects/stage-versions";
import { StageStateBadge } from "@/components/projects/status-badges";
import { WordsPerChapterChart } from "@/components/projects/words-per-chapter-chart";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useCanWrite } from "@/components/write-access";
import { formatElapsed, formatNumber, formatPercent, formatPrecisePercent, formatWords, type JobStatus, type StageInfo, type StageOutput, type StageScene } from "@/lib/projects";
import { errorMessage, useTRPC } from "@/lib/trpc";

type Output = NonNullable<StageOutput["output"]>;
type HighConcept = Extract<Output, { logline: string }>;
type World = Extract<Output, { setting: unknown }>;
type BeatSheet = Extract<Output, { beats: unknown }>;
type Cast = Extract<Output, { cast: unknown }>;
type Outline = Extract<Output, { chapters: unknown }>;
type SceneSummary = Extract<Output, { scenes: number }>;
type Validation = Extract<Output, { report: unknown }>;
type ContinuityIssue = NonNullable<SceneSummary["issues"]>[number];

/** One stage's output, opened from the timeline. */
export function StageOutputDialog({ projectId, stage, job, onClose }: { projectId: string; stage: StageInfo | null; job: JobStatus | null; onClose: () => void }) {
  return (
    <Dialog open={stage !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="max-h-[calc(100dvh-2rem)] max-w-3xl overflow-y-auto">
        {stage ? <StageOutputView key={stage.number} projectId={projectId} stage={stage} job={job} /> : null}
      </DialogContent>
    </Dialog>
  );
}

type StageTab = "output" | "edit" | "versions";

function StageOutputView({ projectId, stage, job }: { projectId: string; stage: StageInfo; job: JobStatus | null }) {
  const trpc = useTRPC();
  const canWrite = useCanWrite();
  const output = useQuery(trpc.generation.stage.queryOptions({ id: projectId, stage_number: stage.number }));
  const current = output.data ?? stage;
  // A planning stage that never ran opens on writing it.
  const [tab, setTab] = useState<StageTab>(canWrite && stage.status === "pending" && stage.number <= STAGE.scene_outline ? "edit" : "output");
  // Planning documents (stages 1–5) have versions and can be edited; one that never ran can be written from a blank document.
  const document = stage.number <= STAGE.scene_outline && output.data ? (output.data.output ?? blankDocument(stage.number)) : null;

  return (
    <>
      <DialogHeader>
        <DialogTitle>
          Stage {stage.number} · {stage.name}
        </DialogTitle>
        <DialogDescription>{stage.description}</DialogDescription>
        <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
          <StageStateBadge state={current.status} />
          {output.data?.edited ? <Badge variant="violet">Edited by hand</Badge> : null}
          {current.duration_ms ? <span>{formatElapsed(current.duration_ms)}</span> : null}
          {current.tokens > 0 ? <span>{formatNumber(current.tokens)} tokens</span> : null}
        </div>
      </DialogHeader>
      {current.status === "stale" ? (
        <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          An earlier stage changed after this one was written: this is the previous output, and the next Start writes it again.
        </p>
      ) : null}
      {output.isPending ? (
        <div className="grid gap-3" aria-busy="true">
          <p className="sr-only" role="status">
            Loading the output…
          </p>
          <Skeleton className="h-5 w-2/3" aria-hidden="true" />
          <Skeleton className="h-24 w-full" aria-hidden="true" />
          <Skeleton className="h-5 w-1/2" aria-hidden="true" />
        </div>
      ) : output.isError ? (
        <div className="flex flex-col items-center gap-3 py-6 text-center">
          <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
          <p className="max-w-md text-sm text-muted-foreground">{errorMessage(output.error)}</p>
          <Button variant="outline" size="sm" onClick={() => void output.refetch()}>
            <RefreshCwIcon aria-hidden="true" />
            Try again
          </Button>
        </div>
      ) : document === null ? (
        <OutputBody data={output.data} />
      ) : (
        <Tabs value={tab} onValueChange={(value) => setTab(value as StageTab)} className="grid gap-4">
          <TabsList>
            <TabsTrigger value="output">
              <FileTextIcon aria-hidden="true" />
              Output
            </TabsTrigger>
            {canWrite ? (
              <TabsTrigger value="edit">
                <PencilIcon aria-hidden="true" />
                {output.data.output === null ? "Write it yourself" : "Edit"}
              </TabsTrigger>
            ) : null}
            <TabsTrigger value="versions">
              <HistoryIcon aria-hidden="true" />
              Versions{output.data.version !== null ? ` (${output.data.version})` : ""}
            </TabsTrigger>
          </TabsList>
          <TabsContent value="output">
            <OutputBody data={output.data} />
          </TabsContent>
          {canWrite ? (
            <TabsContent value="edit">
              <StageDocumentEditor projectId={projectId} stage={stage} document={document} job={job} onSaved={() => setTab("versions")} />
            </TabsContent>
          ) : null}
          <TabsContent value="versions">
            <StageVersions projectId={projectId} stage={stage} jobActive={job !== null && isActiveJobStatus(job.status)} />
          </TabsContent>
        </Tabs>
      )}
    </>
  );
}

/** The output in the form that suits it, told apart by its fields (each stage's schema has its own). */
function OutputBody({ data }: { data: StageOutput }) {
  const { output, scenes } = data;
  if (output !== null) {
    if ("logline" in output) return <HighConceptView output={output} />;
    if ("setting" in output) return <WorldView output={output} />;
    if ("beats" in output) return <BeatSheetView output={output} />;
    if ("cast" in output) return <CastView output={output} />;
    if ("report" in output) return <ValidationView output={output} />;
    if ("chapters" in output) return <OutlineView output={output} />;
  }
  if (scenes !== null && scenes.length > 0) {
    return <SceneStageView summary={output !== null && "scenes" in output ? output : null} scenes={scenes} running={data.status === "running"} />;
  }
  return <p className="py-6 text-center text-sm text-muted-foreground">This stage has not produced anything yet.</p>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="grid gap-2">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function Prose({ children }: { children: ReactNode }) {
  return <p className="text-sm leading-relaxed text-foreground/90">{children}</p>;
}

function Tags({ items }: { items: readonly string[] }) {
  return (
    <ul className="flex flex-wrap gap-1.5">
      {items.map((item) => (
        <li key={item}>
          <Badge variant="outline" className="font-normal whitespace-normal">
            {item}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

function Bullets({ items }: { items: readonly string[] }) {
  return (
    <ul className="grid list-disc gap-1 pl-5 text-sm leading-relaxed">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

function HighConceptView({ output }: { output: HighConcept }) {
  const voice = output.narrative_voice;
  return (
    <div className="grid gap-5">
      <blockquote className="border-l-4 border-brand pl-4 font-serif text-lg leading-snug">{output.logline}</blockquote>
      <Section title="Premise">
        <Prose>{output.premise}</Prose>
      </Section>
      <Section title="Core conflict">
        <Prose>{output.core_conflict}</Prose>
      </Section>
      <Section title="Narrative voice">
        <Prose>
          <span className="font-medium">
            {voice.person === "first" ? "First" : "Third"} person, {voice.tense} tense.
          </span>{" "}
          {voice.description}
        </Prose>
      </Section>
      <div className="grid gap-5 sm:grid-cols-2">
        <Section title="Themes">
          <Tags items={output.themes} />
        </Section>
        <Section title="Motifs">
          <Tags items={output.motifs} />
        </Section>
      </div>
    </div>
  );
}

function WorldView({ output }: { output: World }) {
  return (
    <div className="grid gap-5">
      <Section title={`Setting: ${output.setting.name}`}>
        <p className="text-xs text-muted-foreground">{output.setting.era}</p>
        <Prose>{output.setting.description}</Prose>
      </Section>
      <Section title="Places">
        <dl className="grid gap-3">
          {output.places.map((place) => (
            <div key={place.name} className="grid gap-0.5 rounded-md border p-3">
              <dt className="text-sm font-medium">{place.name}</dt>
              <dd className="text-sm text-muted-foreground">{place.description}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <div className="grid gap-5 sm:grid-cols-2">
        <Section title="Rules">{output.rules.length > 0 ? <Bullets items={output.rules} /> : <Prose>None stated.</Prose>}</Section>
        <Section title="Culture">{output.culture.length > 0 ? <Bullets items={output.culture} /> : <Prose>None stated.</Prose>}</Section>
      </div>
    </div>
  );
}

function BeatSheetView({ output }: { output: BeatSheet }) {
  return (
    <div className="grid gap-5">
      <Section title="Beats">
        <Table aria-label="Beats">
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead>Act</TableHead>
              <TableHead>Beat</TableHead>
              <TableHead>At</TableHead>
              <TableHead>What happens</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {output.beats.map((beat) => (
              <TableRow key={`${beat.act}-${beat.name}`}>
                <TableCell className="align-top tabular-nums">{beat.act}</TableCell>
                <TableCell className="align-top font-medium whitespace-normal">{beat.name}</TableCell>
                <TableCell className="align-top text-muted-foreground tabular-nums">{formatPercent(beat.position)}</TableCell>
                <TableCell className="min-w-64 align-top whitespace-normal">{beat.description}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
      {output.pacing_curve.length > 0 ? (
        <Section title="Pacing: tension per chapter">
          <ol className="flex h-24 items-end gap-[2px] rounded-md border p-2" aria-label="Tension per chapter">
            {output.pacing_curve.map((tension, index) => (
              <li key={index} className="flex h-full min-w-0 flex-1 items-end" title={`Chapter ${index + 1}: ${formatPercent(tension)}`}>
                <span className="sr-only">
                  Chapter {index + 1}: tension {formatPercent(tension)}
                </span>
                <span className="w-full rounded-t-sm bg-brand/70" style={{ height: `${Math.max(tension, 0.02) * 100}%` }} aria-hidden="true" />
              </li>
            ))}
          </ol>
        </Section>
      ) : null}
    </div>
  );
}

function CastView({ output }: { output: Cast }) {
  return (
    <ul className="grid gap-3" aria-label="Cast">
      {output.cast.map((character) => (
        <li key={character.name} className="grid gap-2 rounded-lg border p-4">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="font-semibold">{character.name}</h3>
            <Badge variant="secondary">{character.role}</Badge>
          </div>
          <dl className="grid gap-2 text-sm sm:grid-cols-[7rem_minmax(0,1fr)]">
            <dt className="text-muted-foreground">Goal</dt>
            <dd>{character.goal}</dd>
            <dt className="text-muted-foreground">Arc</dt>
            <dd>{character.arc}</dd>
            <dt className="text-muted-foreground">Voice</dt>
            <dd>{character.voice}</dd>
            {character.relationships.length > 0 ? (
              <>
                <dt className="text-muted-foreground">Relationships</dt>
                <dd>{character.relationships.map((relationship) => `${relationship.kind} of ${relationship.with}`).join("; ")}</dd>
              </>
            ) : null}
          </dl>
          {character.traits.length > 0 ? <Tags items={character.traits} /> : null}
        </li>
      ))}
    </ul>
  );
}

function OutlineView({ output }: { output: Outline }) {
  return (
    <div className="grid gap-5">
      {output.chapters.map((chapter) => (
        <Section key={chapter.number} title={`Chapter ${chapter.number}: ${chapter.title}`}>
          <Table aria-label={`Chapter ${chapter.number} scenes`}>
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead>Scene</TableHead>
                <TableHead>Point of view</TableHead>
                <TableHead>Goal</TableHead>
                <TableHead>Conflict</TableHead>
                <TableHead>Outcome</TableHead>
                <TableHead className="text-right">Words</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {chapter.scenes.map((scene) => (
                <TableRow key={scene.number}>
                  <TableCell className="align-top tabular-nums">{scene.number}</TableCell>
                  <TableCell className="min-w-32 align-top whitespace-normal">
                    <span className="font-medium">{scene.pov}</span>
                    <span className="block text-xs text-muted-foreground">{scene.place}</span>
                  </TableCell>
                  <TableCell className="min-w-44 align-top whitespace-normal">{scene.goal}</TableCell>
                  <TableCell className="min-w-44 align-top whitespace-normal">{scene.conflict}</TableCell>
                  <TableCell className="min-w-44 align-top whitespace-normal">{scene.outcome}</TableCell>
                  <TableCell className="text-right align-top tabular-nums">{formatNumber(scene.target_words)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Section>
      ))}
    </div>
  );
}

function SceneStageView({ summary, scenes, running }: { summary: SceneSummary | null; scenes: readonly StageScene[]; running: boolean }) {
  const navigatorId = useId();
  const chapters = [...new Set(scenes.map((scene) => scene.chapter))].map((number) => ({ number, title: "" }));
  const [chapter, setChapter] = useState(chapters[0]?.number ?? 1);
  const words = scenes.reduce((total, scene) => total + scene.words, 0);
  const issues = summary?.issues;

  return (
    <div className="grid gap-5">
      <p className="text-sm text-muted-foreground">
        {running ? "Written so far: " : ""}
        {formatNumber(scenes.length)} scenes, {formatWords(words)}
        {summary?.fixes_applied !== undefined ? `, ${formatNumber(summary.fixes_applied)} fixes applied` : ""}.
      </p>
      {issues ? <ContinuityIssues issues={issues} /> : null}
      <Section title="Scenes">
        <ChapterNavigator id={navigatorId} label="Chapters" chapters={chapters} current={chapter} onChange={setChapter} />
        <ChapterText
          className="mt-4"
          heading={`Chapter ${chapter}`}
          scenes={scenes.filter((scene) => scene.chapter === chapter).map((scene) => ({ number: scene.scene, text: scene.text }))}
        />
      </Section>
    </div>
  );
}

const ISSUE_KIND_LABELS: Record<ContinuityIssue["kind"], string> = { name: "Name", timeline: "Timeline", fact: "Fact" };

function ContinuityIssues({ issues }: { issues: readonly ContinuityIssue[] }) {
  if (issues.length === 0) {
    return (
      <p className="flex items-center gap-2 text-sm">
        <CircleCheckIcon className="size-4 text-emerald-600" aria-hidden="true" />
        The audit found no inconsistencies.
      </p>
    );
  }
  return (
    <Section title={`Issues found and fixed (${formatNumber(issues.length)})`}>
      <Table aria-label="Continuity issues">
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead>Where</TableHead>
            <TableHead>Kind</TableHead>
            <TableHead>Inconsistency</TableHead>
            <TableHead>Fix</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {issues.map((issue, index) => (
            <TableRow key={index}>
              <TableCell className="align-top text-muted-foreground tabular-nums">
                Ch. {issue.chapter}, scene {issue.scene}
              </TableCell>
              <TableCell className="align-top">
                <Badge variant="outline">{ISSUE_KIND_LABELS[issue.kind]}</Badge>
              </TableCell>
              <TableCell className="min-w-52 align-top whitespace-normal">{issue.description}</TableCell>
              <TableCell className="min-w-52 align-top whitespace-normal">{issue.fix}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
}

function ValidationView({ output }: { output: Validation }) {
  const { report, manuscript } = output;
  const chapterWords = manuscript.chapters.map((chapter) => ({ number: chapter.number, words: chapter.words }));
  return (
    <div className="grid gap-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <Figure label="Words" note={`target ${formatNumber(report.target_words)}`}>
          {formatNumber(report.total_words)}
        </Figure>
        <Figure label="Against target" note="within ±10% is on target">
          {report.deviation >= 0 ? "+" : ""}
          {formatPrecisePercent(report.deviation)}
        </Figure>
        <Figure label="Chapter balance" note="variation of lengths; 0 is even">
          {report.chapter_balance.toFixed(2)}
        </Figure>
        <Figure label="Dialogue" note="share of words in quotes">
          {formatPercent(report.dialogue_ratio)}
        </Figure>
        <Figure label="Reading ease" note="Flesch; 60–70 is plain English">
          {report.readability.flesch_reading_ease.toFixed(0)}
        </Figure>
        <Figure label="Sentence length" note="average words">
          {report.readability.average_sentence_words.toFixed(1)}
        </Figure>
        <Figure label="Repeated phrases" note="three-word phrases used again">
          {formatPrecisePercent(report.repetition.repeated_trigram_ratio)}
        </Figure>
        <Figure label="Sentences used once" note="of sentences over 20 characters">
          {report.repetition.unique_sentence_ratio === null ? "—" : formatPrecisePercent(report.repetition.unique_sentence_ratio)}
        </Figure>
        <Figure label="Chapters" note={`${formatNumber(manuscript.chapters.reduce((total, chapter) => total + chapter.scenes, 0))} scenes`}>
          {formatNumber(manuscript.chapters.length)}
        </Figure>
      </dl>
      {report.warnings.length > 0 ? (
        <Section title="Warnings">
          <ul className="grid gap-1.5 text-sm">
            {report.warnings.map((warning) => (
              <li key={warning} className="flex items-start gap-2">
                <AlertTriangleIcon className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />
                {warning}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title="Words per chapter">
        <WordsPerChapterChart chapters={chapterWords} targetPerChapter={chapterWords.length > 0 ? report.target_words / chapterWords.length : 0} />
      </Section>
      {report.repetition.most_repeated_sentences.length > 0 ? (
        <Section title="Most repeated sentences">
          <ol className="grid gap-1.5 text-sm" aria-label="Most repeated sentences">
            {report.repetition.most_repeated_sentences.map((entry) => (
              <li key={entry.sentence} className="flex items-start justify-between gap-3 rounded-md border px-3 py-1.5">
                <span className="min-w-0 break-words">{entry.sentence}</span>
                <span className="shrink-0 text-muted-foreground tabular-nums">× {formatNumber(entry.count)}</span>
              </li>
            ))}
          </ol>
        </Section>
      ) : report.repetition.unique_sentence_ratio !== null ? (
        <Section title="Most repeated sentences">
          <p className="text-sm text-muted-foreground">No sentence over 20 characters is used twice.</p>
        </Section>
      ) : null}
      {report.repetition.most_repeated.length > 0 ? (
        <Section title="Most repeated phrases">
          <ul className="flex flex-wrap gap-1.5" aria-label="Most repeated phrases">
            {report.repetition.most_repeated.map((phrase) => (
              <li key={phrase.phrase}>
                <Badge variant="outline" className="font-normal">
                  “{phrase.phrase}” × {formatNumber(phrase.count)}
                </Badge>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

function Figure({ label, note, children }: { label: string; note: string; children: ReactNode }) {
  return (
    <div className="grid content-start gap-0.5 rounded-lg border p-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{children}</dd>
      <dd className="text-xs text-muted-foreground">{note}</dd>
    </div>
  );
}
