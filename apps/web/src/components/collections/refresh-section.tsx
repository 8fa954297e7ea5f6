"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { LoaderCircleIcon, RefreshCwIcon } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { ArtifactType, NamePattern, OnConflict, REFRESH_MODES, type RefreshMode } from "@scriptorium/contract";
import { ArtifactTypeSelect } from "@/components/collections/artifact-type-select";
import { RefreshResultView } from "@/components/collections/refresh-result";
import { OnConflictChoice } from "@/components/collections/update-review";
import { useInvalidateCollection } from "@/components/collections/use-invalidate-collection";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ReadOnlyNotice, useCanWrite } from "@/components/write-access";
import type { RefreshResult } from "@/lib/collections";
import { useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

const MODE_DETAILS: Record<RefreshMode, { label: string; description: string }> = {
  metadata: { label: "Metadata", description: "Re-reads titles, descriptions, versions and tags upstream; files stay as they are." },
  check: { label: "Check for updates", description: "Shows what changed upstream, file by file, to review before a sync; changes nothing." },
  sync: { label: "Sync", description: "Copies upstream files and metadata in, merged with edits made here, after a snapshot you can roll back to." },
};

// The API's own field schemas, so mistakes show before a round trip.
const RefreshForm = z.object({
  mode: z.enum(REFRESH_MODES),
  type: ArtifactType.nullable(),
  name_pattern: NamePattern,
  dry_run: z.boolean(),
  on_conflict: OnConflict,
});
type RefreshForm = z.infer<typeof RefreshForm>;
type RefreshFilter = { type?: ArtifactType | undefined; name_pattern?: string | undefined };

/** Runs a metadata refresh, an update check or a sync, and shows what it found. */
export function RefreshSection({ collectionId }: { collectionId: string }) {
  const trpc = useTRPC();
  const canWrite = useCanWrite();
  const invalidateCollection = useInvalidateCollection(collectionId);
  const ids = { heading: useId(), mode: useId(), type: useId(), pattern: useId(), dryRun: useId() };
  const form = useForm<RefreshForm>({
    resolver: zodResolver(RefreshForm),
    defaultValues: { mode: "metadata", type: null, name_pattern: "", dry_run: false, on_conflict: "skip" },
  });
  const patternError = form.formState.errors.name_pattern?.message;
  const mode = form.watch("mode");
  // The filter of the refresh on screen: a sync started from its review applies to the same artifacts.
  const [shownFilter, setShownFilter] = useState<RefreshFilter | undefined>(undefined);

  // Which control started the refresh on screen: its error shows beside that control.
  const [origin, setOrigin] = useState<"form" | "review">("form");
  const originRef = useRef<"form" | "review">("form");
  // The last answer stays on screen while the next refresh runs, so a review does not vanish under its own sync button.
  const [shownResult, setShownResult] = useState<RefreshResult | null>(null);
  const refresh = useMutation(
    trpc.collections.refresh.mutationOptions({
      onMutate: () => {
        // A new form refresh replaces the answer; a sync from a review keeps the review up until its own answer arrives.
        if (originRef.current === "form") setShownResult(null);
      },
      onSuccess: async (result) => {
        setShownResult(result);
        // A check or a dry run changes nothing; anything else may have changed artifacts and taken a snapshot.
        if (result.mode !== "check" && !result.dry_run) await invalidateCollection();
      },
    }),
  );

  function submit(values: RefreshForm) {
    const filter = { type: values.type ?? undefined, name_pattern: values.name_pattern || undefined };
    const artifactFilter = filter.type || filter.name_pattern ? filter : undefined;
    setShownFilter(artifactFilter);
    originRef.current = "form";
    setOrigin("form");
    refresh.mutate({
      collection_id: collectionId,
      mode: values.mode,
      artifact_filter: artifactFilter,
      dry_run: values.dry_run,
      // A check is read before a sync, and a dry run in its place: both show each file's diff.
      include_diff: values.mode === "check" || values.dry_run,
      on_conflict: values.mode === "sync" ? values.on_conflict : undefined,
    });
  }

  function syncReviewed(onConflict: OnConflict, acceptFindings: readonly string[]) {
    originRef.current = "review";
    setOrigin("review");
    refresh.mutate({
      collection_id: collectionId,
      mode: "sync",
      artifact_filter: shownFilter,
      on_conflict: onConflict,
      accept_findings: acceptFindings.length > 0 ? [...acceptFindings] : undefined,
    });
  }

  return (
    <section aria-labelledby={ids.heading}>
      <Card className="gap-0 overflow-hidden pb-0">
        <CardHeader>
          <CardTitle id={ids.heading}>Refresh from upstream</CardTitle>
          <CardDescription>Compares each artifact with its source at the tracked ref. Refreshes of one collection run one at a time.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 pt-6 pb-6">
          {canWrite ? null : <ReadOnlyNotice>Refreshing needs a write key: this session’s key can only read.</ReadOnlyNotice>}
          <form onSubmit={form.handleSubmit(submit)} noValidate>
            <fieldset disabled={!canWrite} className="grid min-w-0 gap-5">
              <fieldset className="grid gap-2">
                <legend className="mb-2 text-sm font-medium">Mode</legend>
                <div className="grid gap-2 sm:grid-cols-3">
                  {REFRESH_MODES.map((mode) => (
                    <label
                      key={mode}
                      className={cn(
                        "flex cursor-pointer items-start gap-3 rounded-lg border p-3 transition-colors hover:bg-accent/50",
                        "has-checked:border-ring has-checked:bg-accent/60 has-focus-visible:ring-[3px] has-focus-visible:ring-ring/50",
                      )}
                    >
                      <input
                        type="radio"
                        value={mode}
                        className="mt-0.5 size-4 accent-primary"
                        // Named by the mode alone, described by its explanation: "Metadata" must not also match Sync's text.
                        aria-labelledby={`${ids.mode}-${mode}`}
                        aria-describedby={`${ids.mode}-${mode}-description`}
                        {...form.register("mode")}
                      />
                      <span className="grid gap-1">
                        <span id={`${ids.mode}-${mode}`} className="text-sm font-medium">
                          {MODE_DETAILS[mode].label}
                        </span>
                        <span id={`${ids.mode}-${mode}-description`} className="text-xs text-muted-foreground">
                          {MODE_DETAILS[mode].description}
                        </span>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>

              <div className="grid gap-4 sm:grid-cols-2">
                <div className="grid content-start gap-2">
                  <Label htmlFor={ids.type}>Only artifacts of type</Label>
                  <Controller
                    control={form.control}
                    name="type"
                    render={({ field }) => (
                      <ArtifactTypeSelect id={ids.type} value={field.value} onChange={field.onChange} anyLabel="All types" disabled={!canWrite} />
                    )}
                  />
                </div>
                <div className="grid content-start gap-2">
                  <Label htmlFor={ids.pattern}>Only names matching</Label>
                  <Input
                    id={ids.pattern}
                    placeholder="e.g. canvas*"
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={patternError ? true : undefined}
                    aria-describedby={`${ids.pattern}-note`}
                    {...form.register("name_pattern")}
                  />
                  {patternError ? (
                    <p id={`${ids.pattern}-note`} role="alert" className="text-sm text-destructive">
                      {patternError}
                    </p>
                  ) : (
                    <p id={`${ids.pattern}-note`} className="text-xs text-muted-foreground">
                      A glob, case-insensitive; empty for all.
                    </p>
                  )}
                </div>
              </div>

              {mode === "sync" ? (
                <Controller
                  control={form.control}
                  name="on_conflict"
                  render={({ field }) => <OnConflictChoice value={field.value} onChange={field.onChange} disabled={!canWrite} />}
                />
              ) : null}

              <div className="flex items-start gap-2.5">
                <input id={ids.dryRun} type="checkbox" className="mt-0.5 size-4 accent-primary" aria-describedby={`${ids.dryRun}-note`} {...form.register("dry_run")} />
                <div className="grid gap-1">
                  <Label htmlFor={ids.dryRun}>Dry run</Label>
                  <p id={`${ids.dryRun}-note`} className="text-xs text-muted-foreground">
                    Work out every change, apply none of them.
                  </p>
                </div>
              </div>

              <FormError error={origin === "form" ? refresh.error : null} />
              <div className="flex flex-wrap items-center gap-3">
                <Button type="submit" disabled={refresh.isPending}>
                  {refresh.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <RefreshCwIcon aria-hidden="true" />}
                  {refresh.isPending ? "Refreshing…" : "Refresh"}
                </Button>
                {refresh.isPending ? (
                  <p role="status" className="text-sm text-muted-foreground">
                    Reading upstream; this can take a few seconds.
                  </p>
                ) : null}
              </div>
            </fieldset>
          </form>
        </CardContent>
        {shownResult ? (
          <RefreshResultView
            // Each result starts over: no finding accepted, unchanged entries hidden.
            key={shownResult.request_id}
            result={shownResult}
            collectionId={collectionId}
            canWrite={canWrite}
            syncPending={refresh.isPending}
            syncError={origin === "review" ? refresh.error : null}
            onSync={syncReviewed}
          />
        ) : null}
      </Card>
    </section>
  );
}
