import type { RouterOutputs } from "@scriptorium/api";
import type { FindingSeverity } from "@scriptorium/contract";
import { FINDING_SEVERITIES } from "@scriptorium/contract/values";

export type Finding = RouterOutputs["artifacts"]["findings"]["items"][number];
export type FindingsSummary = RouterOutputs["artifacts"]["list"]["items"][number]["findings_summary"];

/** How a finding is named to the API: `accept_findings` takes these keys, and an update's findings are compared by them. */
export function findingKey(finding: Pick<Finding, "rule_id" | "path">): string {
  return `${finding.rule_id}@${finding.path}`;
}

const SEVERITY_RANK: Record<FindingSeverity, number> = { high: 0, medium: 1, low: 2 };

/** Most severe first, then by line, so the worst of a file is read first. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.line - b.line || a.rule_id.localeCompare(b.rule_id);
}

/** Findings by file, files in path order, each file's findings most severe first. */
export function groupByPath(findings: readonly Finding[]): { path: string; findings: Finding[] }[] {
  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byPath.get(finding.path) ?? [];
    list.push(finding);
    byPath.set(finding.path, list);
  }
  return [...byPath.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, list]) => ({ path, findings: list.sort(compareFindings) }));
}

/** Counts by severity, as the artifact list's `findings_summary` has them. */
export function summarize(findings: readonly Finding[]): FindingsSummary {
  const summary = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  return summary;
}

export function isFindingSeverity(value: string): value is FindingSeverity {
  return (FINDING_SEVERITIES as readonly string[]).includes(value);
}
