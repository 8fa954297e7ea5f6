import type { ArtifactSource } from "./collections";

/*
 * The contract's constants and plain helpers, apart from its schemas: code
 * that validates nothing (the dashboard's tables and badges) imports them
 * from `@scriptorium/contract/values` and so loads neither zod nor the API's
 * schemas. The main entry re-exports all of them beside the schemas built
 * from them.
 */

/** Scopes in rising order: each includes every scope before it. */
export const SCOPES = ["read", "write", "admin", "owner"] as const;
type ScopeName = (typeof SCOPES)[number];

/** Whether a key of scope `held` may do what needs `needed`. */
export function scopeIncludes(held: ScopeName, needed: ScopeName): boolean {
  return SCOPES.indexOf(held) >= SCOPES.indexOf(needed);
}

export const ARTIFACT_TYPES = ["skill", "command", "agent", "hook", "mcp", "workflow"] as const;

export function isArtifactType(value: string): value is (typeof ARTIFACT_TYPES)[number] {
  return (ARTIFACT_TYPES as readonly string[]).includes(value);
}

/** A short, human form of a source, for tables and logs: a local path, owner/repo/path@ref, or url//path@ref. */
export function describeSource(source: ArtifactSource): string {
  switch (source.kind) {
    case "local":
      return source.path;
    case "git":
      return `${source.url}${source.path ? `//${source.path}` : ""}${source.ref ? `@${source.ref}` : ""}`;
    case "github":
      return `${source.repo}${source.path ? `/${source.path}` : ""}${source.ref ? `@${source.ref}` : ""}`;
  }
}

/**
 * Bounds on an artifact's stored copy, for imports, syncs and edits alike:
 * what one request can make the server hold, read or send.
 */
export const CONTENT_LIMITS = {
  /** Largest single file. */
  fileBytes: 10 * 1024 * 1024,
  /** Largest artifact, all files together. */
  artifactBytes: 50 * 1024 * 1024,
  /** Most files in one artifact. */
  artifactFiles: 2_000,
  /** Longest file path, in UTF-8 bytes. */
  pathBytes: 1_024,
  /** Largest file read or written inline (base64 in JSON, tRPC); larger ones go through the REST file route. */
  inlineFileBytes: 1024 * 1024,
  /** Longest unified diff of one file in a refresh entry; beyond it the patch is cut and marked `truncated`. */
  patchBytes: 64 * 1024,
} as const;

/** How sure a finding of the security review is to be harmful; `high` holds an update back. */
export const FINDING_SEVERITIES = ["high", "medium", "low"] as const;
