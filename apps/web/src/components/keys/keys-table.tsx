"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { AlertCircleIcon, KeyRoundIcon, RefreshCwIcon } from "lucide-react";
import { useState } from "react";
import { AdminRequired } from "@/components/keys/admin-required";
import { RevokeKeyDialog } from "@/components/keys/revoke-key-dialog";
import { LoadMore } from "@/components/load-more";
import { RelativeTime } from "@/components/relative-time";
import { ScopeBadge } from "@/components/scope-badge";
import { useSession } from "@/components/session-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { loadedItems, nextPageOptions } from "@/lib/paging";
import { errorMessage, trpcErrorCode, useTRPC, type ApiKey } from "@/lib/trpc";

/** The workspace's keys, kept live: another tab or program creating or revoking a key shows up here at once. */
export function KeysTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useInfiniteQuery(trpc.keys.list.infiniteQueryOptions({}, nextPageOptions));
  const [keyToRevoke, setKeyToRevoke] = useState<ApiKey | null>(null);

  const refreshKeys = () => void queryClient.invalidateQueries({ queryKey: trpc.keys.list.pathKey() });
  useSubscription(
    trpc.keys.changes.subscriptionOptions(undefined, {
      onData: refreshKeys,
      // Also on every (re)connection: changes made while the stream was down are not replayed.
      onStarted: refreshKeys,
    }),
  );

  if (keys.isPending) return <KeysTableSkeleton />;
  if (keys.isError) {
    if (trpcErrorCode(keys.error) === "FORBIDDEN") return <AdminRequired />;
    return (
      <Card className="items-center gap-3 px-6 py-12 text-center">
        <AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />
        <h2 className="font-semibold">The keys could not be loaded</h2>
        <p className="max-w-md text-sm text-muted-foreground">{errorMessage(keys.error)}</p>
        <Button variant="outline" onClick={() => void keys.refetch()}>
          <RefreshCwIcon aria-hidden="true" />
          Try again
        </Button>
      </Card>
    );
  }

  const items = loadedItems(keys.data);
  return (
    <>
      <Card className="gap-0 overflow-hidden py-0">
        <Table aria-label="API keys">
          <KeysTableHeader />
          <TableBody>
            {items.length === 0 ? (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={5} className="py-12 text-center text-muted-foreground">
                  <KeyRoundIcon className="mx-auto mb-2 size-6" aria-hidden="true" />
                  No keys yet. Create one for each script or program that calls Scriptorium.
                </TableCell>
              </TableRow>
            ) : (
              items.map((apiKey) => <KeyRow key={apiKey.id} apiKey={apiKey} onRevoke={() => setKeyToRevoke(apiKey)} />)
            )}
          </TableBody>
        </Table>
        <LoadMore list={keys} noun="key" />
      </Card>
      <RevokeKeyDialog apiKey={keyToRevoke} onClose={() => setKeyToRevoke(null)} />
    </>
  );
}

function KeysTableHeader() {
  return (
    <TableHeader className="bg-muted/40">
      <TableRow className="hover:bg-transparent">
        <TableHead>Name</TableHead>
        <TableHead>Scope</TableHead>
        <TableHead className="hidden sm:table-cell">Key</TableHead>
        <TableHead className="hidden md:table-cell">Created</TableHead>
        <TableHead className="w-0">
          <span className="sr-only">Actions</span>
        </TableHead>
      </TableRow>
    </TableHeader>
  );
}

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => void }) {
  const session = useSession();
  const prefix = <code className="font-mono text-xs text-muted-foreground">{apiKey.prefix}…</code>;

  return (
    <TableRow>
      <TableCell className="max-w-64 whitespace-normal">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium break-words">{apiKey.name}</span>
          {apiKey.id === session.key.id ? <Badge variant="outline">this session</Badge> : null}
        </div>
        {/* Narrow screens drop the Key column; keep the prefix under the name instead. */}
        <div className="mt-1 sm:hidden">{prefix}</div>
      </TableCell>
      <TableCell>
        <ScopeBadge scope={apiKey.scope} />
      </TableCell>
      <TableCell className="hidden sm:table-cell">{prefix}</TableCell>
      <TableCell className="hidden text-muted-foreground md:table-cell">
        <RelativeTime value={apiKey.created_at} />
      </TableCell>
      <TableCell className="text-right">
        <Button variant="ghost" size="sm" className="text-destructive hover:bg-destructive/10 hover:text-destructive" aria-label={`Revoke ${apiKey.name}`} onClick={onRevoke}>
          Revoke
        </Button>
      </TableCell>
    </TableRow>
  );
}

function KeysTableSkeleton() {
  return (
    <Card className="gap-0 overflow-hidden py-0" aria-busy="true">
      <p className="sr-only" role="status">
        Loading keys…
      </p>
      <Table aria-hidden="true">
        <KeysTableHeader />
        <TableBody>
          {[0, 1, 2].map((row) => (
            <TableRow key={row} className="hover:bg-transparent">
              <TableCell>
                <Skeleton className="h-4 w-32" />
              </TableCell>
              <TableCell>
                <Skeleton className="h-5 w-14" />
              </TableCell>
              <TableCell className="hidden sm:table-cell">
                <Skeleton className="h-4 w-28" />
              </TableCell>
              <TableCell className="hidden md:table-cell">
                <Skeleton className="h-4 w-24" />
              </TableCell>
              <TableCell>
                <Skeleton className="ml-auto h-8 w-16" />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}
