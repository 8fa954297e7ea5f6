"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { AlertCircleIcon, RefreshCwIcon, RocketIcon } from "lucide-react";
import { useId } from "react";
import { DeploymentStatusBadge } from "@/components/collections/deployment-badges";
import { CopyButton } from "@/components/copy-button";
import { LoadMore } from "@/components/load-more";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pluralize, shortenHash } from "@/lib/collections";
import { ATTENTION_ORDER, DEPLOYMENT_STATUS_DETAILS, DEPLOYMENTS_POLL_MS, deployCommand, PROFILE_LABELS, type DeployedArtifact, type Deployment } from "@/lib/deployments";
import { loadedItems, nextPageOptions } from "@/lib/paging";
import { errorMessage, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";

interface DeploymentsSectionProps {
  artifactId: string;
  /** For the command the empty state suggests; null while the collection loads. */
  collectionName: string | null;
  artifactName: string;
}

/** This artifact's row of a target: the list is filtered by the artifact, so each target lists it alone. */
function deployedHere(deployment: Deployment, artifactId: string): DeployedArtifact | undefined {
  return deployment.artifacts.find((artifact) => artifact.artifact_id === artifactId);
}

/** Where the artifact is deployed, as the `scriptorium` command reports it, with each target's status against the collection now. */
export function DeploymentsSection({ artifactId, collectionName, artifactName }: DeploymentsSectionProps) {
  const trpc = useTRPC();
  const headingId = useId();
  const deployments = useInfiniteQuery(
    trpc.deployments.list.infiniteQueryOptions({ artifact_id: artifactId }, { ...nextPageOptions, refetchInterval: DEPLOYMENTS_POLL_MS }),
  );
  const items = loadedItems(deployments.data);
  const statuses = items.flatMap((deployment) => deployedHere(deployment, artifactId)?.status ?? []);
  const attention = ATTENTION_ORDER.flatMap((status) => {
    const count = statuses.filter((candidate) => candidate === status).length;
    return count > 0 ? [`${count} ${status}`] : [];
  });

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 overflow-hidden py-0">
        <div className="grid gap-1 border-b px-4 py-4 sm:px-6">
          <h2 id={headingId} className="font-semibold">
            Deployments
          </h2>
          <p className="text-sm text-muted-foreground" aria-live="polite">
            {items.length === 0
              ? "Project folders and home directories that hold this artifact, as the scriptorium command reports them."
              : `${deployments.hasNextPage ? `${items.length}+ targets` : pluralize(items.length, "target")}${attention.length > 0 ? ` · ${attention.join(" · ")}` : ", all current"}. Statuses compare each target's last report with the collection now.`}
          </p>
        </div>
        {deployments.isPending ? (
          <div className="grid gap-3 px-4 py-4 sm:px-6" aria-busy="true">
            <p className="sr-only" role="status">
              Loading deployments…
            </p>
            {[0, 1].map((row) => (
              <Skeleton key={row} className="h-8 w-full" aria-hidden="true" />
            ))}
          </div>
        ) : deployments.isError ? (
          <div className="flex flex-col items-center gap-3 px-6 py-10 text-center">
            <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
            <p className="max-w-md text-sm text-muted-foreground">{errorMessage(deployments.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void deployments.refetch()}>
              <RefreshCwIcon aria-hidden="true" />
              Try again
            </Button>
          </div>
        ) : items.length === 0 ? (
          <NotDeployed command={deployCommand(collectionName ?? "COLLECTION", artifactName)} />
        ) : (
          <Table aria-label="Deployments">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead>Target</TableHead>
                <TableHead>Tool</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Deployed</TableHead>
                <TableHead>Last report</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((deployment) => (
                <DeploymentRow key={deployment.id} deployment={deployment} artifact={deployedHere(deployment, artifactId)} />
              ))}
            </TableBody>
          </Table>
        )}
        <LoadMore list={deployments} noun="target" />
      </Card>
    </section>
  );
}

function DeploymentRow({ deployment, artifact }: { deployment: Deployment; artifact: DeployedArtifact | undefined }) {
  const needsAttention = artifact ? DEPLOYMENT_STATUS_DETAILS[artifact.status].attention : false;
  return (
    <TableRow className={cn(needsAttention && "bg-amber-50/40 dark:bg-amber-950/20")}>
      <TableCell className="max-w-96 min-w-48 whitespace-normal">
        <span className="block font-medium break-words">{deployment.host ?? "Unnamed host"}</span>
        {deployment.path ? (
          <span className="block font-mono text-xs break-all text-muted-foreground">{deployment.path}</span>
        ) : (
          <span className="block text-xs text-muted-foreground" title={`Target ${deployment.target}`}>
            path not reported
          </span>
        )}
      </TableCell>
      <TableCell>
        <span className="flex flex-wrap items-center gap-1.5">
          {PROFILE_LABELS[deployment.profile]}
          <Badge variant="outline" title={deployment.scope === "user" ? "Deployed into the home directory (--scope user)" : "Deployed into a project folder"}>
            {deployment.scope}
          </Badge>
        </span>
      </TableCell>
      <TableCell>
        {artifact ? (
          <span className="grid gap-0.5">
            <DeploymentStatusBadge status={artifact.status} />
            {artifact.status !== artifact.reported_status ? <span className="text-xs text-muted-foreground">reported {artifact.reported_status}</span> : null}
          </span>
        ) : null}
      </TableCell>
      <TableCell>
        {artifact ? (
          <code
            className="font-mono text-xs"
            title={`Content hash ${artifact.content_hash}${artifact.behind && artifact.current_content_hash ? `; the collection now holds ${shortenHash(artifact.current_content_hash)}` : ""}`}
          >
            {shortenHash(artifact.content_hash)}
          </code>
        ) : null}
      </TableCell>
      <TableCell className="text-muted-foreground">
        <RelativeTime value={deployment.reported_at} />
      </TableCell>
    </TableRow>
  );
}

/** The empty state: how to deploy the artifact, ready to copy. */
function NotDeployed({ command }: { command: string }) {
  return (
    <div className="flex flex-col items-center gap-3 px-6 py-10 text-center text-sm text-muted-foreground">
      <RocketIcon className="size-6" aria-hidden="true" />
      <p className="max-w-md text-balance">Not deployed anywhere yet. Deploy it into a project folder with the command line; every deploy, update and status then reports here.</p>
      <div className="flex max-w-full items-center gap-2">
        <code className="min-w-0 overflow-x-auto rounded-md border bg-muted/40 px-3 py-1.5 text-left font-mono text-xs whitespace-nowrap text-foreground">{command}</code>
        <CopyButton value={command} label="Copy the deploy command" className="shrink-0" />
      </div>
      <p className="max-w-md text-xs text-balance">
        Reports need a key with write scope. <code className="font-mono">--no-report</code> keeps a command silent towards the server; the folder&rsquo;s path is only sent with{" "}
        <code className="font-mono">--report-path</code>.
      </p>
    </div>
  );
}
