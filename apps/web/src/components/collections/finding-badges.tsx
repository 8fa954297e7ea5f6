import type { FindingSeverity } from "@scriptorium/contract";
import { FINDING_SEVERITIES } from "@scriptorium/contract/values";
import { Badge } from "@/components/ui/badge";
import type { FindingsSummary } from "@/lib/findings";
import { cn } from "@/lib/utils";

const SEVERITY_VARIANTS = { high: "red", medium: "amber", low: "secondary" } as const satisfies Record<FindingSeverity, "red" | "amber" | "secondary">;

const SEVERITY_MEANINGS: Record<FindingSeverity, string> = {
  high: "High: very likely harmful; an update that adds one is held back until accepted",
  medium: "Medium: risky, worth reading before the artifact is used",
  low: "Low: worth knowing, rarely harmful by itself",
};

export function SeverityBadge({ severity, className }: { severity: FindingSeverity; className?: string }) {
  return (
    <Badge variant={SEVERITY_VARIANTS[severity]} title={SEVERITY_MEANINGS[severity]} className={className}>
      {severity}
    </Badge>
  );
}

/** "2 high", "1 medium", "3 low" badges of the security review's counts; nothing for a clean artifact. */
export function FindingsSummaryBadges({ summary, className }: { summary: FindingsSummary; className?: string }) {
  const shown = FINDING_SEVERITIES.filter((severity) => summary[severity] > 0);
  if (shown.length === 0) return null;
  return (
    <span className={cn("inline-flex flex-wrap gap-1", className)}>
      <span className="sr-only">Security review findings:</span>
      {shown.map((severity) => (
        <Badge key={severity} variant={SEVERITY_VARIANTS[severity]} title={SEVERITY_MEANINGS[severity]}>
          {summary[severity]} {severity}
        </Badge>
      ))}
    </span>
  );
}
