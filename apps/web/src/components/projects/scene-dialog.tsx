"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { HistoryIcon, LoaderCircleIcon, PencilIcon, PinIcon, PinOffIcon } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { isActiveJobStatus, stageByNumber } from "@scriptorium/contract";
import { FormError } from "@/components/form-error";
import { FormField } from "@/components/form-field";
import { WordDiff } from "@/components/projects/version-diff";
import { VersionsCompare, type VersionEntry } from "@/components/projects/versions-compare";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import { useCanWrite, WriteButton } from "@/components/write-access";
import { formatWords, type JobStatus } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

export type SceneTab = "edit" | "versions";

/** The scene a dialog is open on, and on which tab. */
export interface OpenScene {
  chapter: number;
  scene: number;
  text: string;
  words: number;
  pinned: boolean;
  tab: SceneTab;
}

/** One scene of the manuscript: its text edited by hand (which pins it), and every text it has had, any two compared word by word. */
export function SceneDialog({ projectId, open, job, onClose }: { projectId: string; open: OpenScene | null; job: JobStatus | null; onClose: () => void }) {
  return (
    <Dialog open={open !== null} onOpenChange={(isOpen) => (isOpen ? undefined : onClose())}>
      <DialogContent className="max-h-[calc(100dvh-2rem)] max-w-3xl overflow-y-auto">
        {open ? <SceneView key={`${open.chapter}-${open.scene}`} projectId={projectId} open={open} job={job} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function SceneView({ projectId, open, job }: { projectId: string; open: OpenScene; job: JobStatus | null }) {
  const trpc = useTRPC();
  const canWrite = useCanWrite();
  const [tab, setTab] = useState<SceneTab>(canWrite ? open.tab : "versions");
  const jobActive = job !== null && isActiveJobStatus(job.status);
  // The versions (newest first) say what the scene is now, after an edit made in this dialog too.
  const versions = useQuery(trpc.generation.sceneVersions.queryOptions({ id: projectId, chapter: open.chapter, scene: open.scene }));
  const words = versions.data?.items[0]?.words ?? open.words;
  const pinned = versions.data ? versions.data.items.some((item) => item.pinned) : open.pinned;
  return (
    <>
      <DialogHeader>
        <DialogTitle>
          Chapter {open.chapter}, scene {open.scene}
        </DialogTitle>
        <DialogDescription>
          {formatWords(words)}
          {pinned ? " · written by hand and pinned: later runs of stages 6–11 leave it as it is" : ""}
        </DialogDescription>
      </DialogHeader>
      <Tabs value={tab} onValueChange={(value) => setTab(value as SceneTab)} className="grid gap-4">
        <TabsList>
          {canWrite ? (
            <TabsTrigger value="edit">
              <PencilIcon aria-hidden="true" />
              Edit
            </TabsTrigger>
          ) : null}
          <TabsTrigger value="versions">
            <HistoryIcon aria-hidden="true" />
            Versions
          </TabsTrigger>
        </TabsList>
        {canWrite ? (
          <TabsContent value="edit">
            <SceneEditForm projectId={projectId} open={open} pinned={pinned} jobActive={jobActive} onSaved={() => setTab("versions")} />
          </TabsContent>
        ) : null}
        <TabsContent value="versions">
          <SceneVersions projectId={projectId} open={open} jobActive={jobActive} />
        </TabsContent>
      </Tabs>
    </>
  );
}

/** Invalidates what a scene's new text changes: the manuscript, the stages (12 becomes stale) and the scene's versions. */
function useSceneEdit(projectId: string, onSaved?: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.generation.editScene.mutationOptions({
      onSuccess: (edit) => {
        void queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
        toast.success(`Chapter ${edit.chapter}, scene ${edit.scene} saved as version ${edit.version} and pinned`);
        onSaved?.();
      },
    }),
  );
}

function SceneEditForm(props: { projectId: string; open: OpenScene; pinned: boolean; jobActive: boolean; onSaved: () => void }) {
  const { projectId, open, pinned, jobActive, onSaved } = props;
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(open.text);
  const save = useSceneEdit(projectId, onSaved);
  const unpin = useMutation(
    trpc.generation.unpinScene.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });
        toast.success(`Chapter ${open.chapter}, scene ${open.scene} unpinned: the next run may write it again`);
      },
    }),
  );
  const empty = text.trim() === "";

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!empty) save.mutate({ id: projectId, chapter: open.chapter, scene: open.scene, text });
  }

  return (
    <form className="grid gap-4" onSubmit={submit} aria-label="Edit the scene">
      <FormField id={id} label="Text" hint="Paragraphs are separated by a blank line." error={empty ? "A scene needs some text." : undefined}>
        <Textarea id={id} rows={16} className="font-serif text-[0.95rem] leading-7" value={text} onChange={(event) => setText(event.target.value)} aria-describedby={`${id}-note`} />
      </FormField>
      <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
        <PinIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          Saving pins the scene: later runs of stages 6–11 leave it as you wrote it, unless started with “force” or the scene is unpinned. Stage 12 (output validation)
          and the exports become stale. The text you replace stays among the versions.
        </span>
      </p>
      {jobActive ? (
        <p role="alert" className="text-sm text-destructive">
          A job is running: a scene can be changed once it has finished or is cancelled.
        </p>
      ) : null}
      <FormError error={save.error ?? unpin.error} />
      <div className="flex flex-wrap justify-end gap-2">
        {pinned ? (
          <Button type="button" variant="outline" disabled={jobActive || unpin.isPending} onClick={() => unpin.mutate({ id: projectId, chapter: open.chapter, scene: open.scene })}>
            <PinOffIcon aria-hidden="true" />
            Unpin
          </Button>
        ) : null}
        <Button type="submit" disabled={jobActive || empty || text === open.text || save.isPending}>
          {save.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Save and pin
        </Button>
      </div>
    </form>
  );
}

const SOURCE_LABELS = { edit: "Edited by hand", rewrite: "Rewritten by instruction" } as const;

function SceneVersions({ projectId, open, jobActive }: { projectId: string; open: OpenScene; jobActive: boolean }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.generation.sceneVersions.queryOptions({ id: projectId, chapter: open.chapter, scene: open.scene }));
  const use = useSceneEdit(projectId);

  if (versions.isPending) return <Skeleton className="h-32 w-full" aria-hidden="true" />;
  if (versions.isError) return <FormError error={versions.error} />;

  const items = versions.data.items;
  const latest = items[0]?.version;
  const entries: VersionEntry[] = items.map((version) => ({
    version: version.version,
    origin: version.source === "stage" ? `Written by ${stageByNumber(version.stage)?.name ?? `stage ${version.stage}`}` : SOURCE_LABELS[version.source],
    createdAt: version.created_at,
    current: version.version === latest,
    words: version.words,
  }));
  const textOf = (version: number) => items.find((item) => item.version === version)?.text ?? "";

  return (
    <div className="grid gap-3">
      {items.some((item) => item.pinned) ? (
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <Badge variant="violet">Pinned</Badge> The pin keeps version {items.find((item) => item.pinned)?.version}.
        </p>
      ) : null}
      {/* A new version (an edit, a restore) opens the comparison on it again. */}
      <VersionsCompare
        key={entries[0]?.version}
        entries={entries}
        subject="scene"
        renderDiff={(from, to) => <WordDiff before={textOf(from)} after={textOf(to)} label={`Changes from version ${from} to version ${to}`} />}
        renderAction={(entry) => (
          <WriteButton
            variant="outline"
            size="sm"
            disabled={jobActive || use.isPending}
            onClick={() => use.mutate({ id: projectId, chapter: open.chapter, scene: open.scene, text: textOf(entry.version) })}
            aria-label={`Use the text of version ${entry.version}`}
          >
            Use this text
          </WriteButton>
        )}
      />
      <FormError error={use.error} />
    </div>
  );
}
