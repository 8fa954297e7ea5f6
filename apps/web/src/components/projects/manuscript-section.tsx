"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, BookOpenIcon, HistoryIcon, PencilIcon, PinIcon, RefreshCwIcon, WandSparklesIcon } from "lucide-react";
import { useId, useRef, useState } from "react";
import { isActiveJobStatus } from "@scriptorium/contract";
import { ChapterNavigator, ChapterText, chapterLabel } from "@/components/projects/chapter-text";
import { RewriteDialog, type RewriteTarget } from "@/components/projects/rewrite-dialog";
import { SceneDialog, type OpenScene, type SceneTab } from "@/components/projects/scene-dialog";
import { WordsPerChapterChart } from "@/components/projects/words-per-chapter-chart";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useCanWrite, WriteButton } from "@/components/write-access";
import { formatWords, type JobStatus, type Manuscript, type ManuscriptChapter, type Project, type StageInfo } from "@/lib/projects";
import { errorMessage, trpcErrorCode, useTRPC } from "@/lib/trpc";

/** The words-per-chapter chart and the reader, both from the latest text (the last finished scene stage). */
export function ManuscriptSection({ project, stages, job }: { project: Project; stages: readonly StageInfo[] | undefined; job: JobStatus | null }) {
  const trpc = useTRPC();
  const manuscript = useQuery(trpc.generation.manuscript.queryOptions({ id: project.id }));
  const notWrittenYet = manuscript.isError && trpcErrorCode(manuscript.error) === "NOT_FOUND";

  if (manuscript.isPending) return <ManuscriptSkeleton />;
  if (notWrittenYet) {
    return (
      <Card className="items-center gap-3 border-dashed px-6 py-12 text-center shadow-none">
        <span className="flex size-12 items-center justify-center rounded-full bg-muted">
          <BookOpenIcon className="size-6 text-muted-foreground" aria-hidden="true" />
        </span>
        <h2 className="font-semibold">No manuscript yet</h2>
        <p className="max-w-md text-sm text-balance text-muted-foreground">
          The text appears here, chapter by chapter, once scene drafting (stage 6) has finished, and it follows every revision pass after
          that.
        </p>
      </Card>
    );
  }
  if (manuscript.isError) {
    return (
      <Card className="items-center gap-3 px-6 py-10 text-center">
        <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
        <h2 className="font-semibold">The manuscript could not be loaded</h2>
        <p className="max-w-md text-sm text-muted-foreground">{errorMessage(manuscript.error)}</p>
        <Button variant="outline" size="sm" onClick={() => void manuscript.refetch()}>
          <RefreshCwIcon aria-hidden="true" />
          Try again
        </Button>
      </Card>
    );
  }

  const textStageName = stages?.find((stage) => stage.number === manuscript.data.stage)?.name ?? `stage ${manuscript.data.stage}`;
  return (
    <>
      <ChapterChart project={project} manuscript={manuscript.data} />
      <Reader projectId={project.id} manuscript={manuscript.data} textStageName={textStageName} job={job} />
    </>
  );
}

function ChapterChart({ project, manuscript }: { project: Project; manuscript: Manuscript }) {
  const headingId = useId();
  const chapters = manuscript.chapters.map((chapter) => ({ number: chapter.number, words: chapter.words }));
  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-5">
        <CardHeader>
          <CardTitle id={headingId}>Words per chapter</CardTitle>
          <CardDescription>
            {formatWords(manuscript.words)} of {formatWords(project.target_words)}, in {chapters.length} chapters. The line marks the target
            length of one chapter.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <WordsPerChapterChart chapters={chapters} targetPerChapter={chapters.length > 0 ? project.target_words / chapters.length : 0} />
        </CardContent>
      </Card>
    </section>
  );
}

function Reader({ projectId, manuscript, textStageName, job }: { projectId: string; manuscript: Manuscript; textStageName: string; job: JobStatus | null }) {
  const headingId = useId();
  const [openScene, setOpenScene] = useState<OpenScene | null>(null);
  const [rewriting, setRewriting] = useState<RewriteTarget | null>(null);
  const jobActive = job !== null && isActiveJobStatus(job.status);
  const navigatorId = useId();
  const textTop = useRef<HTMLDivElement>(null);
  const [chapterNumber, setChapterNumber] = useState(manuscript.chapters[0]?.number ?? 1);
  // A rewrite can change the chapters; fall back to the first rather than show nothing.
  const chapter = manuscript.chapters.find((candidate) => candidate.number === chapterNumber) ?? manuscript.chapters[0];

  function goToChapter(number: number) {
    setChapterNumber(number);
    // A new chapter starts at its top, not wherever the last one was left.
    textTop.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 py-0">
        <div ref={textTop} className="grid scroll-mt-20 grid-cols-1 gap-3 border-b px-4 py-4 sm:px-6">
          <div className="grid gap-1">
            <h2 id={headingId} className="font-semibold">
              Manuscript
            </h2>
            <p className="text-sm text-muted-foreground">
              “{manuscript.title}”{manuscript.author ? ` by ${manuscript.author}` : ""} · {formatWords(manuscript.words)} · the text after{" "}
              {textStageName.toLowerCase()}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <ChapterNavigator id={navigatorId} label="Chapters" chapters={manuscript.chapters} current={chapter?.number ?? 1} onChange={goToChapter} className="min-w-0 flex-1" />
            {chapter ? (
              <WriteButton
                variant="outline"
                disabled={jobActive}
                title={jobActive ? "A rewrite waits until the job has finished" : undefined}
                onClick={() => setRewriting({ chapter, scene: null })}
              >
                <WandSparklesIcon aria-hidden="true" />
                Rewrite chapter {chapter.number}…
              </WriteButton>
            ) : null}
          </div>
        </div>
        <div className="px-4 py-8 sm:px-8 sm:py-10">
          {chapter ? (
            <ChapterText
              heading={chapterLabel(chapter)}
              scenes={chapter.scenes}
              sceneTools={(scene) => (
                <SceneTools
                  chapter={chapter.number}
                  scene={scene}
                  jobActive={jobActive}
                  onOpen={(tab) => setOpenScene({ chapter: chapter.number, scene: scene.number, text: scene.text, words: scene.words, pinned: scene.pinned, tab })}
                  onRewrite={() => setRewriting({ chapter, scene: scene.number })}
                />
              )}
            />
          ) : (
            <p className="text-center text-sm text-muted-foreground">The manuscript has no chapters.</p>
          )}
        </div>
        {chapter ? (
          <div className="border-t px-4 py-3 sm:px-6">
            <ChapterNavigator id={`${navigatorId}-bottom`} label="Chapters, after the text" chapters={manuscript.chapters} current={chapter.number} onChange={goToChapter} />
          </div>
        ) : null}
      </Card>
      <SceneDialog projectId={projectId} open={openScene} job={job} onClose={() => setOpenScene(null)} />
      <RewriteDialog projectId={projectId} target={rewriting} onClose={() => setRewriting(null)} />
    </section>
  );
}

/** Above each scene in the reader: its number, words and pin, and the ways to edit it or see its versions. */
function SceneTools(props: { chapter: number; scene: ManuscriptChapter["scenes"][number]; jobActive: boolean; onOpen: (tab: SceneTab) => void; onRewrite: () => void }) {
  const { chapter, scene, jobActive, onOpen, onRewrite } = props;
  const canWrite = useCanWrite();
  const name = `chapter ${chapter}, scene ${scene.number}`;
  return (
    <div className="mb-2 flex flex-wrap items-center justify-end gap-1 font-sans text-xs text-muted-foreground" role="group" aria-label={`Scene ${scene.number}`}>
      <span className="mr-auto">
        Scene {scene.number} · {formatWords(scene.words)}
      </span>
      {scene.pinned ? (
        <Badge variant="violet" title="Written by hand: later runs of stages 6–11 leave it as it is">
          <PinIcon aria-hidden="true" />
          Pinned
        </Badge>
      ) : null}
      {canWrite ? (
        <Button variant="ghost" size="sm" className="h-7 px-2 text-xs" onClick={() => onOpen("edit")} aria-label={`Edit ${name}`}>
          <PencilIcon aria-hidden="true" />
          Edit
        </Button>
      ) : null}
      {canWrite ? (
        <Button variant="ghost" size="sm" className="h-7 px-2 text-xs" disabled={jobActive} onClick={onRewrite} aria-label={`Rewrite ${name}`}>
          <WandSparklesIcon aria-hidden="true" />
          Rewrite
        </Button>
      ) : null}
      <Button variant="ghost" size="sm" className="h-7 px-2 text-xs" onClick={() => onOpen("versions")} aria-label={`Versions of ${name}`}>
        <HistoryIcon aria-hidden="true" />
        Versions
      </Button>
    </div>
  );
}

function ManuscriptSkeleton() {
  return (
    <Card className="gap-4 px-6" aria-busy="true">
      <p className="sr-only" role="status">
        Loading the manuscript…
      </p>
      <div className="grid gap-4" aria-hidden="true">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="h-4 w-5/6" />
      </div>
    </Card>
  );
}
