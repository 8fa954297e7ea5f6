"use client";

import { HistoryIcon } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatNumber } from "@/lib/projects";

/** One version as the versions view lists it; the caller says where it came from. */
export interface VersionEntry {
  version: number;
  /** "Written by Scene drafting", "Edited by hand", "Restored from version 2". */
  origin: string;
  createdAt: string;
  current: boolean;
  words?: number;
}

interface VersionsCompareProps {
  /** Newest first, as the API lists them. */
  entries: readonly VersionEntry[];
  /** What is versioned, for labels: "cast", "scene". */
  subject: string;
  /** The comparison of two versions (older first), rendered by the caller, which knows how to read them. */
  renderDiff: (from: number, to: number) => ReactNode;
  /** An action on one version (restore it, use its text), shown for versions that are not current. */
  renderAction?: (entry: VersionEntry) => ReactNode;
}

/**
 * Every version of a planning stage's document or of a scene's text, and a
 * comparison of any two of them: by default the one before the current and
 * the current, so opening the view shows the latest change.
 */
export function VersionsCompare({ entries, subject, renderDiff, renderAction }: VersionsCompareProps) {
  const fromId = useId();
  const toId = useId();
  const [from, setFrom] = useState(entries[1]?.version ?? entries[0]?.version ?? 1);
  const [to, setTo] = useState(entries[0]?.version ?? 1);

  if (entries.length === 0) {
    return (
      <p className="flex items-start gap-2 text-sm text-muted-foreground">
        <HistoryIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        Nothing written yet: the first run, or writing it yourself, makes version 1.
      </p>
    );
  }
  return (
    <div className="grid gap-5">
      <Table aria-label="Versions">
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead>Version</TableHead>
            <TableHead>Made by</TableHead>
            <TableHead>When</TableHead>
            {entries.some((entry) => entry.words !== undefined) ? <TableHead className="text-right">Words</TableHead> : null}
            {renderAction ? (
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((entry) => (
            <TableRow key={entry.version} aria-label={`Version ${entry.version}`}>
              <TableCell className="tabular-nums">
                <span className="flex items-center gap-2">
                  {entry.version}
                  {entry.current ? <Badge variant="green">Current</Badge> : null}
                </span>
              </TableCell>
              <TableCell className="whitespace-normal">{entry.origin}</TableCell>
              <TableCell className="text-muted-foreground">
                <RelativeTime value={entry.createdAt} />
              </TableCell>
              {entry.words !== undefined ? <TableCell className="text-right tabular-nums">{formatNumber(entry.words)}</TableCell> : null}
              {renderAction ? <TableCell className="text-right">{entry.current ? null : renderAction(entry)}</TableCell> : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {entries.length < 2 ? (
        <p className="flex items-start gap-2 text-sm text-muted-foreground">
          <HistoryIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          Only one version of this {subject} so far: an edit or another run adds the next, and the two can be compared here.
        </p>
      ) : (
        <section className="grid gap-3" aria-label="Comparison">
          <div className="flex flex-wrap items-end gap-3">
            <VersionSelect id={fromId} label="Compare version" entries={entries} value={from} onChange={setFrom} />
            <VersionSelect id={toId} label="with version" entries={entries} value={to} onChange={setTo} />
          </div>
          {/* Older first, whichever way round they were picked, so "added" means added later. */}
          {renderDiff(Math.min(from, to), Math.max(from, to))}
        </section>
      )}
    </div>
  );
}

function VersionSelect(props: { id: string; label: string; entries: readonly VersionEntry[]; value: number; onChange: (version: number) => void }) {
  const { id, label, entries, value, onChange } = props;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select value={String(value)} onValueChange={(next) => onChange(Number(next))}>
        <SelectTrigger id={id} className="w-56">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {entries.map((entry) => (
            <SelectItem key={entry.version} value={String(entry.version)}>
              <SelectItemText>
                Version {entry.version}
                {entry.current ? " (current)" : ""}
              </SelectItemText>
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
