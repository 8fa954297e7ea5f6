"use client";

import type { FindingSeverity } from "@scriptorium/contract";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { isFindingSeverity } from "@/lib/findings";

// Radix Select reserves "" for "no value", so "any" needs a value of its own.
const ANY = "any";

// The list's `findings` input means "this severity or a higher one".
const OPTIONS: { value: FindingSeverity; label: string }[] = [
  { value: "high", label: "High" },
  { value: "medium", label: "Medium or higher" },
  { value: "low", label: "Low or higher" },
];

/** The artifact list's findings filter: any artifact, or those with a finding of at least a severity. */
export function FindingsFilterSelect({ id, value, onChange, className }: { id: string; value: FindingSeverity | null; onChange: (value: FindingSeverity | null) => void; className?: string }) {
  return (
    <Select value={value ?? ANY} onValueChange={(next) => onChange(isFindingSeverity(next) ? next : null)}>
      <SelectTrigger id={id} className={className}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ANY}>
          <SelectItemText>Any</SelectItemText>
        </SelectItem>
        {OPTIONS.map((option) => (
          <SelectItem key={option.value} value={option.value}>
            <SelectItemText>{option.label}</SelectItemText>
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
