"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, AlertTriangleIcon, DownloadIcon, LoaderCircleIcon, PencilIcon, RotateCcwIcon, SaveIcon, Trash2Icon, XIcon } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { DeleteFileDialog } from "@/components/collections/delete-file-dialog";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { CopyButton } from "@/components/copy-button";
import { FormError } from "@/components/form-error";
import { RetryButton } from "@/components/problem-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import {
  base64ToBytes,
  bytesToBase64,
  decodeText,
  encodeText,
  formatFileSize,
  INLINE_FILE_BYTES,
  isPreviewableImage,
  lineEndingOf,
  mayBeText,
  rawFileHref,
  withLineEnding,
  type ArtifactFile,
  type LineEnding,
} from "@/lib/artifact-files";
import { highlightedHtml, languageOf } from "@/lib/highlight";
import { errorMessage, trpcErrorCode, useTRPC } from "@/lib/trpc";

interface FileViewerProps {
  collectionId: string;
  artifactId: string;
  file: ArtifactFile;
  /** A line to mark and scroll to (1-based), as a security-review finding links to it. */
  line?: number | undefined;
  /** Edited here since the last import or sync. */
  modified: boolean;
  canWrite: boolean;
  /** Told whether the editor holds unsaved text, so leaving it can ask first. */
  onDirtyChange: (dirty: boolean) => void;
  onDeleted: () => void;
}

/** One file: text highlighted (and editable), images previewed, anything else described with a download link. */
export function FileViewer({ collectionId, artifactId, file, line, modified, canWrite, onDirtyChange, onDeleted }: FileViewerProps) {
  const trpc = useTRPC();
  const headingId = useId();
  const [deleting, setDeleting] = useState(false);
  const inline = mayBeText(file);
  const content = useQuery(
    trpc.artifacts.readFile.queryOptions({ collection_id: collectionId, artifact_id: artifactId, path: file.path }, { enabled: inline }),
  );
  const text = useMemo(() => (content.data ? decodeText(base64ToBytes(content.data.content_base64)) : null), [content.data]);
  // The version on screen: the list may already know a newer one than the content fetched, or the other way round.
  const shown = content.data ?? file;
  const [editing, setEditing] = useState<EditSession | null>(null);

  useEffect(() => onDirtyChange(editing !== null && editing.text !== editing.original), [editing, onDirtyChange]);

  const isText = inline && text !== null;
  const downloadHref = rawFileHref(collectionId, artifactId, file.path);
  const fileName = file.path.split("/").at(-1) ?? file.path;

  return (
    <Card className="gap-0 overflow-hidden py-0" role="region" aria-labelledby={headingId}>
      <div className="flex flex-col gap-3 border-b px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5">
        <div className="grid min-w-0 gap-1">
          <h2 id={headingId} className="font-mono text-sm font-semibold break-all">
            {file.path}
          </h2>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
            <span>{formatFileSize(shown.size)}</span>
            <span aria-hidden="true">·</span>
            <span>{shown.media_type.split(";")[0]}</span>
            {shown.executable ? <Badge variant="outline">executable</Badge> : null}
            {modified ? <Badge variant="amber">edited here</Badge> : null}
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          {editing ? null : (
            <>
              <Button variant="outline" size="sm" asChild>
                <a href={downloadHref} download={fileName}>
                  <DownloadIcon aria-hidden="true" />
                  Download
                </a>
              </Button>
              {canWrite && isText && content.data ? (
                <Button
                  variant="outline"
                  size="sm"
                  onClick={() => setEditing({ sha256: content.data.sha256, original: text, text, ending: lineEndingOf(text) })}
                >
                  <PencilIcon aria-hidden="true" />
                  Edit
                </Button>
              ) : null}
              {canWrite ? (
                <Button variant="outline" size="sm" className="text-destructive hover:bg-destructive/10 hover:text-destructive" onClick={() => setDeleting(true)}>
                  <Trash2Icon aria-hidden="true" />
                  Delete
                </Button>
              ) : null}
            </>
          )}
        </div>
      </div>

      {!inline ? (
        <BinaryDetails file={file} downloadHref={downloadHref} fileName={fileName} reason={file.size > INLINE_FILE_BYTES ? "large" : "binary"} />
      ) : content.isPending ? (
        <div className="grid gap-2 p-5" aria-busy="true">
          <p className="sr-only" role="status">
            Loading {file.path}…
          </p>
          {[0, 1, 2, 3, 4].map((row) => (
            <Skeleton key={row} className="h-4" style={{ width: `${90 - row * 12}%` }} aria-hidden="true" />
          ))}
        </div>
      ) : content.isError ? (
        trpcErrorCode(content.error) === "PAYLOAD_TOO_LARGE" ? (
          <BinaryDetails file={file} downloadHref={downloadHref} fileName={fileName} reason="large" />
        ) : (
          <div className="flex flex-col items-center gap-3 px-6 py-10 text-center">
            <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
            <p className="max-w-md text-sm text-muted-foreground">{errorMessage(content.error)}</p>
            <RetryButton onRetry={() => void content.refetch()} />
          </div>
        )
      ) : text === null ? (
        <BinaryDetails file={shown} downloadHref={downloadHref} fileName={fileName} reason="binary" />
      ) : editing ? (
        <FileEditor
          collectionId={collectionId}
          artifactId={artifactId}
          path={file.path}
          session={editing}
          onChange={setEditing}
          onClose={() => setEditing(null)}
          reload={async () => {
            const fresh = await content.refetch();
            if (!fresh.data) return;
            const freshText = decodeText(base64ToBytes(fresh.data.content_base64));
            if (freshText === null) {
              setEditing(null);
              return;
            }
            setEditing({ sha256: fresh.data.sha256, original: freshText, text: freshText, ending: lineEndingOf(freshText) });
          }}
        />
      ) : (
        <CodeView path={file.path} text={text} line={line} />
      )}

      {canWrite ? (
        <DeleteFileDialog
          open={deleting}
          onOpenChange={setDeleting}
          collectionId={collectionId}
          artifactId={artifactId}
          file={shown}
          onDeleted={onDeleted}
        />
      ) : null}
    </Card>
  );
}

/** Text with line numbers, highlighted when its language is known; one line marked when asked. */
function CodeView({ path, text, line }: { path: string; text: string; line?: number | undefined }) {
  const language = languageOf(path, text);
  const html = useMemo(() => highlightedHtml(text, language), [text, language]);
  // A final line break ends the last line; it does not start a numbered empty one.
  const lineCount = text.length === 0 ? 1 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const numbers = useMemo(() => Array.from({ length: lineCount }, (_, index) => index + 1).join("\n"), [lineCount]);
  const marked = line !== undefined && line >= 1 && line <= lineCount ? line : undefined;
  const markRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (marked !== undefined) markRef.current?.scrollIntoView({ block: "center" });
  }, [marked, html]);
  if (text.length === 0) return <p className="px-5 py-8 text-center text-sm text-muted-foreground">This file is empty.</p>;
  return (
    <div className="max-h-[75vh] overflow-auto bg-muted/20 font-mono text-xs leading-5">
      {/* w-max: the row grows with the longest line, so the mark spans it when scrolled sideways. */}
      <div className="relative flex w-max min-w-full">
        {marked !== undefined ? (
          // Lines are 1.25rem (leading-5) below 0.75rem of padding: the mark sits behind the text, over the right line.
          <div
            ref={markRef}
            aria-hidden="true"
            data-marked-line={marked}
            className="pointer-events-none absolute inset-x-0 h-5 border-y border-amber-300 bg-amber-100/70 dark:border-amber-800 dark:bg-amber-900/40"
            style={{ top: `calc(0.75rem + ${(marked - 1) * 1.25}rem)` }}
          />
        ) : null}
        <pre aria-hidden="true" className="sticky left-0 z-10 shrink-0 border-r bg-muted/60 px-3 py-3 text-right text-muted-foreground select-none">
          {numbers}
        </pre>
        <pre className="relative flex-1 px-4 py-3" aria-label={`Contents of ${path}`} tabIndex={0}>
          {html === null ? <code>{text}</code> : <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />}
        </pre>
      </div>
      {marked !== undefined ? <p className="sr-only">Line {marked} is marked.</p> : null}
    </div>
  );
}

function BinaryDetails({ file, downloadHref, fileName, reason }: { file: ArtifactFile; downloadHref: string; fileName: string; reason: "binary" | "large" }) {
  return (
    <div className="grid gap-4 px-5 py-6">
      {reason === "binary" && isPreviewableImage(file) ? (
        // A plain <img>: the file sits behind the session cookie, and a static export has no image optimizer anyway.
        <img src={downloadHref} alt={`Preview of ${file.path}`} className="max-h-96 max-w-full justify-self-start rounded-md border bg-[repeating-conic-gradient(#8882_0_25%,transparent_0_50%)] bg-[length:16px_16px]" />
      ) : null}
      <p className="text-sm text-muted-foreground">
        {reason === "large"
          ? `This file is ${formatFileSize(file.size)}: files over ${formatFileSize(INLINE_FILE_BYTES)} are not shown here. Download it to read it.`
          : "This file is not text, so it is not shown here."}
      </p>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
        <dt className="text-muted-foreground">Size</dt>
        <dd className="tabular-nums">
          {formatFileSize(file.size)} ({file.size.toLocaleString("en")} bytes)
        </dd>
        <dt className="text-muted-foreground">Type</dt>
        <dd>{file.media_type}</dd>
        <dt className="text-muted-foreground">SHA-256</dt>
        <dd className="flex items-center gap-2">
          <code className="font-mono text-xs break-all">{file.sha256}</code>
          <CopyButton value={file.sha256} label="Copy SHA-256" className="size-7 shrink-0" />
        </dd>
      </dl>
      <Button variant="outline" className="justify-self-start" asChild>
        <a href={downloadHref} download={fileName}>
          <DownloadIcon aria-hidden="true" />
          Download {fileName}
        </a>
      </Button>
    </div>
  );
}

interface EditSession {
  /** The version the text was loaded from: the save is refused if the file moved on since. */
  sha256: string;
  original: string;
  text: string;
  ending: LineEnding;
}

interface FileEditorProps {
  collectionId: string;
  artifactId: string;
  path: string;
  session: EditSession;
  onChange: (session: EditSession) => void;
  onClose: () => void;
  reload: () => Promise<void>;
}

function FileEditor({ collectionId, artifactId, path, session, onChange, onClose, reload }: FileEditorProps) {
  const trpc = useTRPC();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const noteId = useId();
  const [reloading, setReloading] = useState(false);
  const save = useMutation(
    trpc.artifacts.writeFile.mutationOptions({
      onSuccess: async () => {
        await invalidateCollection();
        toast.success(`Saved ${path}`, { description: "A snapshot taken before the edit lets you roll it back." });
        onClose();
      },
    }),
  );
  const stale = trpcErrorCode(save.error) === "PRECONDITION_FAILED";
  const dirty = session.text !== session.original;

  function submit() {
    const bytes = encodeText(withLineEnding(session.text, session.ending));
    save.mutate({ collection_id: collectionId, artifact_id: artifactId, path, content_base64: bytesToBase64(bytes), if_match: session.sha256 });
  }

  async function loadCurrent() {
    setReloading(true);
    try {
      await reload();
      save.reset();
    } finally {
      setReloading(false);
    }
  }

  return (
    <form
      className="grid gap-3 p-4 sm:p-5"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Textarea
        aria-label={`Contents of ${path}`}
        aria-describedby={noteId}
        className="min-h-[28rem] font-mono text-xs leading-5 whitespace-pre"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        wrap="off"
        value={session.text}
        onChange={(event) => onChange({ ...session, text: event.target.value })}
        onKeyDown={(event) => {
          // Ctrl/⌘+S saves, as in any editor, instead of the browser saving the page.
          if ((event.ctrlKey || event.metaKey) && event.key === "s") {
            event.preventDefault();
            if (dirty && !save.isPending) submit();
          }
        }}
      />
      <p id={noteId} className="text-xs text-muted-foreground">
        UTF-8, {session.ending === "crlf" ? "Windows (CRLF)" : "Unix (LF)"} line endings, kept as the file had them. Saving takes a snapshot first, so the edit
        can be rolled back.
      </p>
      {stale ? (
        <div role="alert" className="grid gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <p className="flex items-start gap-2">
            <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>
              <strong className="font-semibold">Not saved: this file was changed by someone else since you opened it.</strong> Your text is still here. Copy it if
              you want to keep it, then load the current version and make your change again.
            </span>
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <CopyButton value={withLineEnding(session.text, session.ending)} label="Copy your text" className="size-8" />
            <Button type="button" variant="outline" size="sm" disabled={reloading} onClick={() => void loadCurrent()}>
              {reloading ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <RotateCcwIcon aria-hidden="true" />}
              Load the current version (replaces your text)
            </Button>
          </div>
        </div>
      ) : (
        <FormError error={save.error} />
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={!dirty || save.isPending || stale}>
          {save.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <SaveIcon aria-hidden="true" />}
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        <Button
          type="button"
          variant="outline"
          disabled={save.isPending}
          onClick={() => {
            if (dirty && !window.confirm("Discard your changes to this file?")) return;
            onClose();
          }}
        >
          <XIcon aria-hidden="true" />
          Cancel
        </Button>
        {dirty ? <span className="text-xs text-muted-foreground">Unsaved changes</span> : null}
      </div>
    </form>
  );
}
