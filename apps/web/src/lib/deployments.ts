import type { RouterOutputs } from "@scriptorium/api";
import type { DeploymentStatus, DeployProfile } from "@scriptorium/contract";

export type Deployment = RouterOutputs["deployments"]["list"]["items"][number];
export type DeployedArtifact = Deployment["artifacts"][number];
export type ArtifactDeployments = RouterOutputs["deployments"]["summary"]["items"][number];

/**
 * How often a view of deployments asks again while it is open (it also asks
 * when the window regains focus): targets report whenever someone runs the
 * command line, and a collection change makes them behind at once.
 */
export const DEPLOYMENTS_POLL_MS = 30_000;

export const PROFILE_LABELS: Record<DeployProfile, string> = {
  claude_code: "Claude Code",
  codex: "Codex",
  cursor: "Cursor",
  gemini: "Gemini CLI",
};

/** What each status means to the person reading it, and whether it wants their attention. */
export const DEPLOYMENT_STATUS_DETAILS: Record<DeploymentStatus, { description: string; attention: boolean }> = {
  current: { description: "The target holds what the collection holds now.", attention: false },
  behind: { description: "The collection has newer content: `scriptorium update` brings it in.", attention: true },
  modified: { description: "Files or merged settings were changed in the target since they were deployed.", attention: true },
  diverged: { description: "Changed in the target, and the collection has newer content: an update merges both.", attention: true },
  missing: { description: "The deployed files were deleted from the target.", attention: true },
  removed: { description: "The artifact is gone from the collection; the target still holds it.", attention: false },
  conflict: { description: "An update left conflict markers in the target that are not resolved yet.", attention: true },
};

/** The statuses that want attention, most urgent first: the order the collection page's counts are shown in. */
export const ATTENTION_ORDER = ["conflict", "diverged", "modified", "behind", "missing"] as const satisfies readonly DeploymentStatus[];

/** A word as a shell reads it: bare when it is plain, single-quoted otherwise. */
export function shellWord(word: string): string {
  return /^[\w./@:+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command that deploys an artifact of a collection into a project folder. */
export function deployCommand(collectionName: string, artifactName: string): string {
  return `scriptorium deploy ${shellWord(collectionName)} ${shellWord(artifactName)} --to DIR`;
}
