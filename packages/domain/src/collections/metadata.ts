import { METADATA_FIELDS, type ArtifactMetadata, type MetadataField } from "@scriptorium/contract";
import type { UpstreamMetadata } from "./front-matter";

export const EMPTY_METADATA: ArtifactMetadata = {
  title: null,
  description: null,
  author: null,
  license: null,
  version: null,
  tags: [],
  tools: [],
};

/** Upstream values win; a field upstream leaves out keeps its current value. */
export function mergeMetadata(current: ArtifactMetadata, upstream: UpstreamMetadata, fields: readonly MetadataField[] = METADATA_FIELDS): ArtifactMetadata {
  const merged: ArtifactMetadata = { ...current };
  for (const field of fields) {
    const value = upstream[field];
    if (value !== undefined) (merged as Record<MetadataField, unknown>)[field] = value;
  }
  return merged;
}

/**
 * Whether two stored values are the same, as their JSON would be. Metadata
 * values are strings, null and lists of strings: those are compared
 * directly (this runs for every field of every artifact of a refresh);
 * anything else falls back to comparing JSON.
 */
function same(a: unknown, b: unknown): boolean {
  const aText = typeof a === "string" || a === null;
  const bText = typeof b === "string" || b === null;
  if (aText && bText) return a === b;
  if (Array.isArray(a) && Array.isArray(b) && a.every(isString) && b.every(isString)) {
    return a.length === b.length && a.every((item, index) => item === b[index]);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** The metadata fields whose values differ. */
export function changedFields(before: ArtifactMetadata, after: ArtifactMetadata): MetadataField[] {
  return METADATA_FIELDS.filter((field) => !same(before[field], after[field]));
}
