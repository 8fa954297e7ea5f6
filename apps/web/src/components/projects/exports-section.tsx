"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircleIcon, DownloadIcon, FileDownIcon, HammerIcon, LoaderCircleIcon } from "lucide-react";
import { useId, useState } from "react";
import { DEFAULT_TRIM_SIZE, EXPORT_FORMATS, isTrimSize, TRIM_SIZES, type ExportFormat, type TrimSize } from "@scriptorium/contract";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { WriteButton } from "@/components/write-access";
import { EXPORT_FORMAT_DETAILS, TRIM_SIZE_LABELS, exportDownloadHref, formatBytes, type ExportInfo } from "@/lib/exports";
import { errorMessage, useTRPC } from "@/lib/trpc";

/**
 * Builds and downloads of the manuscript in every format. Builds are
 * synchronous on the server and take seconds for a long book, so the
 * row being built shows a spinner until its file is ready.
 */
export function ExportsSection({ projectId, hasText }: { projectId: string; hasText: boolean }) {
  const headingId = useId();
  const trimId = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [trim, setTrim] = useState<TrimSize>(DEFAULT_TRIM_SIZE);
  const exportsList = useQuery(trpc.exports.list.queryOptions({ id: projectId }));
  const build = useMutation(
    trpc.exports.build.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.exports.list.queryKey({ id: projectId }) }),
    }),
  );
  const building = build.isPending ? new Set(build.variables.formats ?? EXPORT_FORMATS) : new Set<ExportFormat>();
  const built = new Map((exportsList.data?.items ?? []).map((item) => [item.format, item]));
  const startBuild = (formats?: ExportFormat[]) => build.mutate({ id: projectId, formats, trim });

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-5">
        <CardHeader>
          <CardTitle id={headingId}>Exports</CardTitle>
          <CardDescription>
            The latest text as a book: Word, EPUB, print-ready PDF, Markdown and plain text. A file built before the text or the title last changed
            is marked out of date until it is built again.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid gap-1.5">
              <Label htmlFor={trimId}>Page size (Word and PDF)</Label>
              <Select value={trim} onValueChange={(value) => isTrimSize(value) && setTrim(value)}>
                <SelectTrigger id={trimId} className="w-44">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {TRIM_SIZES.map((size) => (
                    <SelectItem key={size} value={size}>
                      <SelectItemText>{TRIM_SIZE_LABELS[size]}</SelectItemText>
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <WriteButton disabled={!hasText || build.isPending} onClick={() => startBuild()}>
              {build.isPending && building.size === EXPORT_FORMATS.length ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <HammerIcon aria-hidden="true" />}
              Build all formats
            </WriteButton>
          </div>
          {!hasText ? (
            <p className="text-sm text-muted-foreground">Exports can be built once scene drafting (stage 6) has finished.</p>
          ) : null}
          {build.isError ? (
            <p role="alert" className="flex items-start gap-2 text-sm text-destructive">
              <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              The export could not be built: {errorMessage(build.error)}
            </p>
          ) : null}
          {exportsList.isError ? (
            <p role="alert" className="text-sm text-destructive">
              The exports could not be loaded: {errorMessage(exportsList.error)}
            </p>
          ) : exportsList.isPending ? (
            <Skeleton className="h-48 w-full" />
          ) : (
            <div className="overflow-x-auto rounded-md border">
              <Table aria-label="Export files">
                <TableHeader>
                  <TableRow>
                    <TableHead>Format</TableHead>
                    <TableHead>State</TableHead>
                    <TableHead className="text-right">Size</TableHead>
                    <TableHead>Built</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {EXPORT_FORMATS.map((format) => (
                    <ExportRow
                      key={format}
                      projectId={projectId}
                      format={format}
                      info={built.get(format) ?? null}
                      building={building.has(format)}
                      canBuild={hasText && !build.isPending}
                      onBuild={() => startBuild([format])}
                    />
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </section>
  );
}

function ExportRow(props: { projectId: string; format: ExportFormat; info: ExportInfo | null; building: boolean; canBuild: boolean; onBuild: () => void }) {
  const { projectId, format, info, building, canBuild, onBuild } = props;
  const details = EXPORT_FORMAT_DETAILS[format];
  return (
    <TableRow aria-label={details.label}>
      <TableCell>
        <div className="font-medium">{details.label}</div>
        <div className="text-xs text-muted-foreground">{details.description}</div>
      </TableCell>
      <TableCell>
        {building ? (
          <Badge variant="blue">
            <LoaderCircleIcon className="animate-spin" aria-hidden="true" />
            Building…
          </Badge>
        ) : !info ? (
          <Badge variant="outline">Not built</Badge>
        ) : info.stale ? (
          <Badge variant="amber">Out of date</Badge>
        ) : (
          <Badge variant="green">Ready</Badge>
        )}
      </TableCell>
      <TableCell className="text-right tabular-nums">{info ? formatBytes(info.size_bytes) : "—"}</TableCell>
      <TableCell className="text-sm text-muted-foreground">{info ? <RelativeTime value={info.modified_at} /> : "—"}</TableCell>
      <TableCell>
        <div className="flex justify-end gap-2">
          <WriteButton variant="ghost" size="sm" disabled={!canBuild} onClick={onBuild} aria-label={`Build the ${details.label}`}>
            <FileDownIcon aria-hidden="true" />
            Build
          </WriteButton>
          {info ? (
            <a
              href={exportDownloadHref(projectId, format)}
              download={info.filename}
              className="inline-flex h-8 items-center gap-1.5 rounded-md border px-3 text-sm font-medium hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
              aria-label={`Download ${info.filename}`}
            >
              <DownloadIcon className="size-4" aria-hidden="true" />
              Download
            </a>
          ) : null}
        </div>
      </TableCell>
    </TableRow>
  );
}
