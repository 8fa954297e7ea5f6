"use client";

import type { ArtifactType } from "@scriptorium/contract";
import { ARTIFACT_TYPES, isArtifactType } from "@scriptorium/contract/values";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ARTIFACT_TYPE_LABELS } from "@/lib/collections";

// Radix Select reserves "" for "no value", so "none chosen" needs a value of its own.
const ANY = "any";

interface ArtifactTypeSelectProps {
  id: string;
  value: ArtifactType | null;
  onChange: (type: ArtifactType | null) => void;
  /** What null means here: "All types" for a filter, "Detect" when adding. */
  anyLabel: string;
  className?: string;
  describedBy?: string;
  disabled?: boolean;
}

/** One artifact type, or none (null). */
export function ArtifactTypeSelect({ id, value, onChange, anyLabel, className, describedBy, disabled }: ArtifactTypeSelectProps) {
  return (
    <Select value={value ?? ANY} onValueChange={(next) => onChange(isArtifactType(next) ? next : null)} disabled={disabled}>
      <SelectTrigger id={id} className={className} aria-describedby={describedBy}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ANY}>
          <SelectItemText>{anyLabel}</SelectItemText>
        </SelectItem>
        {ARTIFACT_TYPES.map((type) => (
          <SelectItem key={type} value={type}>
            <SelectItemText>{ARTIFACT_TYPE_LABELS[type]}</SelectItemText>
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
