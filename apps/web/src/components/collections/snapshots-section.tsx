"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { AlertCircleIcon, HistoryIcon, LoaderCircleIcon, RefreshCwIcon, Undo2Icon } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { FormError } from "@/components/form-error";
import { LoadMore } from "@/components/load-more";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { WriteButton } from "@/components/write-access";
import { pluralize, type Snapshot } from "@/lib/collections";
import { loadedItems, nextPageOptions } from "@/lib/paging";
import { formatExact } from "@/lib/time";
import { errorMessage, useTRPC } from "@/lib/trpc";

const NAMES_SHOWN = 3;

/** What a snapshot's mode says about it: each one holds the state just before that operation. */
const SNAPSHOT_MODE_DETAILS: Record<string, { label: string; description: string }> = {
  metadata: { label: "metadata", description: "Taken before a metadata refresh" },
  sync: { label: "sync", description: "Taken before a sync" },
  rollback: { label: "rollback", description: "Taken before a rollback: roll back to it to undo that rollback" },
};

function snapshotModeDetails(mode: string): { label: string; description: string } {
  return SNAPSHOT_MODE_DETAILS[mode] ?? { label: mode, description: `Taken before a ${mode}` };
}

/** The collection's snapshots, newest first, each one a state to roll back to. */
export function SnapshotsSection({ collectionId }: { collectionId: string }) {
  const trpc = useTRPC();
  const headingId = useId();
  const snapshots = useInfiniteQuery(trpc.collections.snapshots.infiniteQueryOptions({ collection_id: collectionId }, nextPageOptions));
  const items = loadedItems(snapshots.data);
  const [snapshotToRestore, setSnapshotToRestore] = useState<Snapshot | null>(null);

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 overflow-hidden py-0">
        <div className="grid gap-1 border-b px-4 py-4 sm:px-6">
          <h2 id={headingId} className="font-semibold">
            Snapshots
          </h2>
          <p className="text-sm text-muted-foreground">
            The artifacts as they were before each change. Rolling back restores their content and metadata exactly.
          </p>
        </div>
        {snapshots.isPending ? (
          <div className="grid gap-3 px-4 py-4 sm:px-6" aria-busy="true">
            <p className="sr-only" role="status">
              Loading snapshots…
            </p>
            {[0, 1].map((row) => (
              <Skeleton key={row} className="h-8 w-full" aria-hidden="true" />
            ))}
          </div>
        ) : snapshots.isError ? (
          <div className="flex flex-col items-center gap-3 px-6 py-10 text-center">
            <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
            <p className="max-w-md text-sm text-muted-foreground">{errorMessage(snapshots.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void snapshots.refetch()}>
              <RefreshCwIcon aria-hidden="true" />
              Try again
            </Button>
          </div>
        ) : items.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-12 text-center text-sm text-muted-foreground">
            <HistoryIcon className="size-6" aria-hidden="true" />
            <p className="max-w-md text-balance">
              No snapshots yet. A sync, or a metadata refresh that changes something, first takes a snapshot of the artifacts it
              changes, so you can roll back.
            </p>
          </div>
        ) : (
          <Table aria-label="Snapshots">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead>Created</TableHead>
                <TableHead>Before</TableHead>
                <TableHead>Artifacts</TableHead>
                <TableHead className="w-0">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((snapshot) => (
                <SnapshotRow key={snapshot.id} snapshot={snapshot} onRollBack={() => setSnapshotToRestore(snapshot)} />
              ))}
            </TableBody>
          </Table>
        )}
        <LoadMore list={snapshots} noun="snapshot" />
      </Card>
      <RollbackDialog collectionId={collectionId} snapshot={snapshotToRestore} onClose={() => setSnapshotToRestore(null)} />
    </section>
  );
}

function SnapshotRow({ snapshot, onRollBack }: { snapshot: Snapshot; onRollBack: () => void }) {
  const mode = snapshotModeDetails(snapshot.mode);
  const shownNames = snapshot.artifact_names.slice(0, NAMES_SHOWN);
  const hiddenCount = snapshot.artifact_names.length - shownNames.length;
  return (
    <TableRow>
      <TableCell className="text-muted-foreground">
        <RelativeTime value={snapshot.created_at} />
      </TableCell>
      <TableCell>
        <Badge variant="outline" title={mode.description}>
          {mode.label}
        </Badge>
      </TableCell>
      <TableCell className="max-w-96 min-w-48 whitespace-normal" title={snapshot.artifact_names.join(", ")}>
        <span className="text-muted-foreground">{pluralize(snapshot.artifact_count, "artifact")}: </span>
        {shownNames.join(", ")}
        {hiddenCount > 0 ? <span className="text-muted-foreground"> +{hiddenCount} more</span> : null}
      </TableCell>
      <TableCell className="text-right">
        <WriteButton variant="outline" size="sm" aria-label={`Roll back to the snapshot of ${formatExact(new Date(snapshot.created_at))}`} onClick={onRollBack}>
          <Undo2Icon aria-hidden="true" />
          Roll back
        </WriteButton>
      </TableCell>
    </TableRow>
  );
}

/** Asks before restoring `snapshot` (null: closed). */
function RollbackDialog({ collectionId, snapshot, onClose }: { collectionId: string; snapshot: Snapshot | null; onClose: () => void }) {
  return (
    <Dialog open={snapshot !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        {snapshot ? <RollbackConfirmation collectionId={collectionId} snapshot={snapshot} onClose={onClose} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function RollbackConfirmation({ collectionId, snapshot, onClose }: { collectionId: string; snapshot: Snapshot; onClose: () => void }) {
  const trpc = useTRPC();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const rollback = useMutation(
    trpc.collections.rollback.mutationOptions({
      onSuccess: async (outcome) => {
        toast.success(`Rolled back ${pluralize(outcome.restored_count, "artifact")}`, {
          description: "The state it replaced is the newest snapshot now: roll back to it to undo.",
        });
        onClose();
        await invalidateCollection();
      },
    }),
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>Roll back to this snapshot?</DialogTitle>
        <DialogDescription>
          Restores the content and metadata of {pluralize(snapshot.artifact_count, "artifact")} as they were on{" "}
          {formatExact(new Date(snapshot.created_at))}. The current state is saved as a new snapshot first, so this can be undone.
        </DialogDescription>
      </DialogHeader>
      <p className="rounded-md border bg-muted/40 p-3 font-mono text-xs break-words">{snapshot.artifact_names.join(", ")}</p>
      <FormError error={rollback.error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button disabled={rollback.isPending} onClick={() => rollback.mutate({ collection_id: collectionId, snapshot_id: snapshot.id })}>
          {rollback.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Roll back
        </Button>
      </DialogFooter>
    </>
  );
}
