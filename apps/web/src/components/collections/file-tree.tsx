"use client";

import { ChevronRightIcon, FileIcon, FolderIcon } from "lucide-react";
import { useId, useMemo } from "react";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { buildFileTree, formatFileSize, type ArtifactFile, type FileTreeNode } from "@/lib/artifact-files";
import { pluralize } from "@/lib/collections";
import { cn } from "@/lib/utils";

interface FileTreeProps {
  /** The files; undefined while they load. */
  files: readonly ArtifactFile[] | undefined;
  /** The list could not be loaded (the viewer beside it says why). */
  failed: boolean;
  /** Paths edited here since the last import or sync. */
  modified: ReadonlySet<string>;
  /** Edited-here paths that no longer exist: deleted here. */
  deleted: readonly string[];
  selectedPath: string | null;
  onSelect: (path: string) => void;
}

/** The artifact's files as folders and files, sizes beside them, the ones edited here marked. */
export function FileTree({ files, failed, modified, deleted, selectedPath, onSelect }: FileTreeProps) {
  const headingId = useId();
  const tree = useMemo(() => buildFileTree(files ?? []), [files]);
  const totalBytes = files?.reduce((sum, file) => sum + file.size, 0) ?? 0;

  return (
    <Card className="gap-0 self-start overflow-hidden py-0">
      <nav aria-labelledby={headingId}>
        <div className="border-b px-4 py-3">
          <h2 id={headingId} className="text-sm font-semibold">
            Files
          </h2>
          <p className="text-xs text-muted-foreground">
            {files ? `${pluralize(files.length, "file")} · ${formatFileSize(totalBytes)}` : "\u00a0"}
          </p>
        </div>
        {failed ? null : files === undefined ? (
          <div className="grid gap-2 p-4" aria-hidden="true">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} className="h-5 w-full" />
            ))}
          </div>
        ) : (
          <ul className="grid max-h-[32rem] overflow-y-auto py-2 text-sm lg:max-h-[70vh]">
            {tree.map((node) => (
              <TreeNode key={nodeKey(node)} node={node} depth={0} modified={modified} selectedPath={selectedPath} onSelect={onSelect} />
            ))}
          </ul>
        )}
        {deleted.length > 0 ? (
          <div className="border-t px-4 py-3 text-xs text-muted-foreground">
            <p className="mb-1 font-medium text-foreground">Deleted here</p>
            <ul className="grid gap-0.5 font-mono">
              {deleted.map((path) => (
                <li key={path} className="break-all line-through">
                  {path}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </nav>
    </Card>
  );
}

function nodeKey(node: FileTreeNode): string {
  return node.kind === "folder" ? `${node.path}/` : node.file.path;
}

interface TreeNodeProps {
  node: FileTreeNode;
  depth: number;
  modified: ReadonlySet<string>;
  selectedPath: string | null;
  onSelect: (path: string) => void;
}

function TreeNode({ node, depth, modified, selectedPath, onSelect }: TreeNodeProps) {
  // Each level steps in; the padding lives on the row so its highlight spans the whole width.
  const indent = { paddingLeft: `${0.75 + depth * 0.875}rem` };
  if (node.kind === "folder") {
    const editedInside = [...modified].some((path) => path.startsWith(`${node.path}/`));
    return (
      <li>
        <details open className="group">
          <summary
            className="flex cursor-pointer list-none items-center gap-1.5 py-1 pr-3 outline-none select-none hover:bg-accent/60 focus-visible:ring-[3px] focus-visible:ring-ring/50 [&::-webkit-details-marker]:hidden"
            style={indent}
          >
            <ChevronRightIcon className="size-3.5 shrink-0 text-muted-foreground transition-transform group-open:rotate-90" aria-hidden="true" />
            <FolderIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
            <span className="truncate">{node.name}</span>
            {editedInside ? <ModifiedMarker label="holds files edited here" /> : null}
          </summary>
          <ul>
            {node.children.map((child) => (
              <TreeNode key={nodeKey(child)} node={child} depth={depth + 1} modified={modified} selectedPath={selectedPath} onSelect={onSelect} />
            ))}
          </ul>
        </details>
      </li>
    );
  }

  const { file } = node;
  const selected = file.path === selectedPath;
  const isModified = modified.has(file.path);
  return (
    <li>
      <button
        type="button"
        // The full path, so a file is found by it even where folders hold files of the same name.
        aria-label={`${file.path}, ${formatFileSize(file.size)}${isModified ? ", edited here" : ""}`}
        aria-current={selected ? "true" : undefined}
        title={file.path}
        onClick={() => onSelect(file.path)}
        className={cn(
          "flex w-full items-center gap-1.5 py-1 pr-3 text-left outline-none hover:bg-accent/60 focus-visible:ring-[3px] focus-visible:ring-inset focus-visible:ring-ring/50",
          selected && "bg-accent font-medium text-accent-foreground",
        )}
        style={{ ...indent, paddingLeft: `calc(${indent.paddingLeft} + 1.25rem)` }}
      >
        <FileIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <span className="min-w-0 flex-1 truncate">{node.name}</span>
        {isModified ? <ModifiedMarker label="edited here" /> : null}
        <span className="shrink-0 text-xs text-muted-foreground tabular-nums">{formatFileSize(file.size)}</span>
      </button>
    </li>
  );
}

function ModifiedMarker({ label }: { label: string }) {
  return <span className="size-2 shrink-0 rounded-full bg-amber-500" title={label} aria-hidden="true" />;
}
