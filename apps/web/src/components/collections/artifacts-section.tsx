"use client";

import { keepPreviousData, useInfiniteQuery, usePrefetchInfiniteQuery, useQuery } from "@tanstack/react-query";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { AlertCircleIcon, FilterXIcon, PackageOpenIcon, RefreshCwIcon } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { createContext, use, useId, useMemo, useState } from "react";
import type { ArtifactType, FindingSeverity } from "@scriptorium/contract";
import { describeSource } from "@scriptorium/contract/values";
import { ArtifactTypeBadge } from "@/components/collections/artifact-type-badge";
import { ArtifactTypeSelect } from "@/components/collections/artifact-type-select";
import { ArtifactDeploymentBadges } from "@/components/collections/deployment-badges";
import { FindingsSummaryBadges } from "@/components/collections/finding-badges";
import { FindingsFilterSelect } from "@/components/collections/findings-filter-select";
import { LoadMore } from "@/components/load-more";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { WriteButton } from "@/components/write-access";
import { artifactHref } from "@/lib/artifact-files";
import { displayVersion, pluralize, type Artifact } from "@/lib/collections";
import { DEPLOYMENTS_POLL_MS, type ArtifactDeployments } from "@/lib/deployments";
import { loadedItems, nextPageOptions } from "@/lib/paging";
import { errorMessage, useTRPC } from "@/lib/trpc";
import { useDebouncedValue } from "@/lib/use-debounced-value";

const column = createColumnHelper<Artifact>();

// Its own code, loaded once the table is up: no row needs it until "Remove" is pressed.
const RemoveArtifactDialog = dynamic(() => import("@/components/collections/remove-artifact-dialog").then((module) => module.RemoveArtifactDialog), { ssr: false });

/**
 * Where each artifact of the collection is deployed, by artifact id: one
 * query for the whole collection, read by every row, so the rows of a long,
 * paged list ask the server nothing of their own.
 */
const DeploymentsByArtifact = createContext<ReadonlyMap<string, ArtifactDeployments>>(new Map());

function artifactColumns(onRemove: (artifact: Artifact) => void) {
  return [
    column.accessor("type", {
      header: "Type",
      cell: (info) => <ArtifactTypeBadge type={info.getValue()} />,
    }),
    column.accessor("name", {
      header: "Name",
      cell: (info) => <ArtifactName artifact={info.row.original} />,
    }),
    column.display({
      id: "version",
      header: "Version",
      cell: (info) => (
        <code className="font-mono text-xs" title={`Copied from ${info.row.original.resolved_version}`}>
          {displayVersion(info.row.original)}
        </code>
      ),
    }),
    column.accessor((artifact) => describeSource(artifact.source), {
      id: "source",
      header: "Source",
      cell: (info) => (
        <span className="block max-w-56 truncate font-mono text-xs text-muted-foreground" title={info.getValue()}>
          {info.getValue()}
        </span>
      ),
    }),
    column.accessor("refreshed_at", {
      header: "Last refreshed",
      cell: (info) => {
        const refreshedAt = info.getValue();
        return refreshedAt ? <RelativeTime value={refreshedAt} className="text-muted-foreground" /> : <span className="text-muted-foreground">never</span>;
      },
    }),
    column.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: (info) => (
        <div className="text-right">
          <WriteButton
            variant="ghost"
            size="sm"
            className="text-destructive hover:bg-destructive/10 hover:text-destructive"
            aria-label={`Remove ${info.row.original.name}`}
            onClick={() => onRemove(info.row.original)}
          >
            Remove
          </WriteButton>
        </div>
      ),
    }),
  ];
}

interface ArtifactListFilters {
  type: ArtifactType | null;
  findings: FindingSeverity | null;
  namePattern: string;
  words: string;
}

const NO_FILTERS: ArtifactListFilters = { type: null, findings: null, namePattern: "", words: "" };

/** The artifact list's input for a set of filters: one shape, so a prefetch of the unfiltered list is the query the table reads. */
function artifactListInput(collectionId: string, filters: ArtifactListFilters) {
  return {
    collection_id: collectionId,
    type: filters.type ?? undefined,
    findings: filters.findings ?? undefined,
    name_pattern: filters.namePattern || undefined,
    q: filters.words || undefined,
  };
}

/**
 * Starts loading the collection's first page of artifacts at once, beside
 * the collection itself, rather than once the collection has loaded and the
 * table is on the page: a request less in the chain before the first rows.
 */
export function usePrefetchArtifacts(collectionId: string): void {
  const trpc = useTRPC();
  usePrefetchInfiniteQuery(trpc.artifacts.list.infiniteQueryOptions(artifactListInput(collectionId, NO_FILTERS), nextPageOptions));
}

function ArtifactName({ artifact }: { artifact: Artifact }) {
  const { title, description } = artifact.metadata;
  const deployments = use(DeploymentsByArtifact);
  return (
    <div className="grid max-w-80 min-w-48 gap-0.5 whitespace-normal">
      <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {/* Not prefetched: a long table would fetch the artifact page's code once per row in view. */}
        <Link
          prefetch={false}
          href={artifactHref(artifact.collection_id, artifact.id)}
          className="rounded-sm font-medium break-words underline-offset-4 outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          {artifact.name}
        </Link>
        {artifact.locally_modified ? (
          <Badge variant="amber" title={`Edited here: ${artifact.modified_files.join(", ")}`}>
            locally modified
          </Badge>
        ) : null}
        {/* Beside the name rather than in a column of their own: the table is already as wide as the page. */}
        <FindingsSummaryBadges summary={artifact.findings_summary} />
        <ArtifactDeploymentBadges summary={deployments.get(artifact.id)} />
      </span>
      {title && title !== artifact.name ? <span className="text-xs break-words">{title}</span> : null}
      {description ? <span className="line-clamp-2 text-xs text-muted-foreground">{description}</span> : null}
    </div>
  );
}

/** The collection's artifacts, a page at a time, filtered on the server by type, security-review findings, a name pattern and words. */
export function ArtifactsSection({ collectionId }: { collectionId: string }) {
  const trpc = useTRPC();
  const headingId = useId();
  const typeFilterId = useId();
  const patternFilterId = useId();
  const [typeFilter, setTypeFilter] = useState<ArtifactType | null>(null);
  const findingsFilterId = useId();
  const [findingsFilter, setFindingsFilter] = useState<FindingSeverity | null>(null);
  const searchId = useId();
  const [namePattern, setNamePattern] = useState("");
  const [words, setWords] = useState("");
  const settledPattern = useDebouncedValue(namePattern.trim(), 300);
  const settledWords = useDebouncedValue(words.trim(), 300);
  const isFiltered = typeFilter !== null || findingsFilter !== null || settledPattern !== "" || settledWords !== "";

  const artifacts = useInfiniteQuery(
    trpc.artifacts.list.infiniteQueryOptions(
      artifactListInput(collectionId, { type: typeFilter, findings: findingsFilter, namePattern: settledPattern, words: settledWords }),
      // While a new filter loads, the previous rows stay instead of a flash of skeleton.
      { ...nextPageOptions, placeholderData: keepPreviousData },
    ),
  );
  const items = useMemo(() => loadedItems(artifacts.data), [artifacts.data]);
  const [artifactToRemove, setArtifactToRemove] = useState<Artifact | null>(null);
  const columns = useMemo(() => artifactColumns(setArtifactToRemove), []);
  const table = useReactTable({ data: items, columns, getCoreRowModel: getCoreRowModel(), getRowId: (artifact) => artifact.id });
  const deploymentSummary = useQuery(trpc.deployments.summary.queryOptions({ collection_id: collectionId }, { refetchInterval: DEPLOYMENTS_POLL_MS }));
  const deploymentsByArtifact = useMemo(() => new Map(deploymentSummary.data?.items.map((item) => [item.artifact_id, item])), [deploymentSummary.data]);
  const total = artifacts.data?.pages[0]?.total;

  function clearFilters() {
    setTypeFilter(null);
    setFindingsFilter(null);
    setNamePattern("");
    setWords("");
  }

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 overflow-hidden py-0">
        <div className="flex flex-col gap-4 border-b px-4 py-4 sm:px-6 md:flex-row md:items-end md:justify-between">
          <div className="grid gap-1">
            <h2 id={headingId} className="font-semibold">
              Artifacts
            </h2>
            <p className="text-sm text-muted-foreground" aria-live="polite">
              {artifacts.data
                ? isFiltered
                  ? `${artifacts.hasNextPage ? `${items.length}+` : items.length} matching the filters`
                  : pluralize(total ?? items.length, "artifact")
                : "\u00a0"}
            </p>
          </div>
          <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end md:justify-end">
            <div className="grid gap-1.5">
              <Label htmlFor={typeFilterId} className="text-xs text-muted-foreground">
                Filter by type
              </Label>
              <ArtifactTypeSelect id={typeFilterId} value={typeFilter} onChange={setTypeFilter} anyLabel="All types" className="sm:w-36" />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={findingsFilterId} className="text-xs text-muted-foreground">
                Findings
              </Label>
              <FindingsFilterSelect id={findingsFilterId} value={findingsFilter} onChange={setFindingsFilter} className="sm:w-40" />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={searchId} className="text-xs text-muted-foreground">
                Search
              </Label>
              <Input
                id={searchId}
                type="search"
                placeholder="Words in name, description, tags"
                autoComplete="off"
                maxLength={200}
                value={words}
                onChange={(event) => setWords(event.target.value)}
                className="sm:w-56"
              />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={patternFilterId} className="text-xs text-muted-foreground">
                Filter by name
              </Label>
              <Input
                id={patternFilterId}
                type="search"
                placeholder="e.g. canvas*"
                autoComplete="off"
                spellCheck={false}
                maxLength={200}
                value={namePattern}
                onChange={(event) => setNamePattern(event.target.value)}
                className="sm:w-48"
              />
            </div>
          </div>
        </div>

        {artifacts.isPending ? (
          <ArtifactsTableSkeleton />
        ) : artifacts.isError ? (
          <div className="flex flex-col items-center gap-3 px-6 py-10 text-center">
            <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
            <p className="max-w-md text-sm text-muted-foreground">{errorMessage(artifacts.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void artifacts.refetch()}>
              <RefreshCwIcon aria-hidden="true" />
              Try again
            </Button>
          </div>
        ) : items.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-12 text-center text-sm text-muted-foreground">
            {isFiltered ? (
              <>
                <FilterXIcon className="size-6" aria-hidden="true" />
                <p>No artifacts match these filters.</p>
                <Button variant="outline" size="sm" onClick={clearFilters}>
                  Clear filters
                </Button>
              </>
            ) : (
              <>
                <PackageOpenIcon className="size-6" aria-hidden="true" />
                <p className="max-w-md text-balance">
                  No artifacts yet. Add a source below: a folder of skills on this server, a git repository, or a path on GitHub.
                </p>
              </>
            )}
          </div>
        ) : (
          <DeploymentsByArtifact value={deploymentsByArtifact}>
            <Table aria-label="Artifacts">
              <TableHeader className="bg-muted/40">
                {table.getHeaderGroups().map((headerGroup) => (
                  <TableRow key={headerGroup.id} className="hover:bg-transparent">
                    {headerGroup.headers.map((header) => (
                      <TableHead key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</TableHead>
                    ))}
                  </TableRow>
                ))}
              </TableHeader>
              <TableBody>
                {table.getRowModel().rows.map((row) => (
                  <TableRow key={row.id}>
                    {row.getVisibleCells().map((cell) => (
                      <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </DeploymentsByArtifact>
        )}
        <LoadMore list={artifacts} noun="artifact" />
      </Card>
      <RemoveArtifactDialog collectionId={collectionId} artifact={artifactToRemove} onClose={() => setArtifactToRemove(null)} />
    </section>
  );
}

function ArtifactsTableSkeleton() {
  return (
    <div className="grid gap-3 px-4 py-4 sm:px-6" aria-busy="true">
      <p className="sr-only" role="status">
        Loading artifacts…
      </p>
      {[0, 1, 2].map((row) => (
        <div key={row} className="flex items-center gap-4" aria-hidden="true">
          <Skeleton className="h-5 w-14" />
          <Skeleton className="h-4 flex-1" />
          <Skeleton className="hidden h-4 w-20 sm:block" />
          <Skeleton className="hidden h-4 w-40 md:block" />
        </div>
      ))}
    </div>
  );
}
