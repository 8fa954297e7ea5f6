import type { RouterOutputs } from "@scriptorium/api";
import { isActiveJobStatus, type WriterProvider } from "@scriptorium/contract";
import { TRPCClientError } from "@trpc/client";

export type Project = RouterOutputs["projects"]["get"];
export type ProjectStatus = Project["status"];
export type JobStatus = RouterOutputs["generation"]["status"];
export type JobState = JobStatus["status"];
export type StageInfo = RouterOutputs["generation"]["stages"]["items"][number];
export type StageState = StageInfo["status"];
export type StageOutput = RouterOutputs["generation"]["stage"];
export type StageScene = NonNullable<StageOutput["scenes"]>[number];
export type Manuscript = RouterOutputs["generation"]["manuscript"];
export type ManuscriptChapter = Manuscript["chapters"][number];
export type Plan = RouterOutputs["generation"]["plan"];
export type PlannedStage = Plan["stages"][number];
export type JobSummary = RouterOutputs["generation"]["jobs"]["items"][number];
export type JobAttempt = JobSummary["attempts"][number];
export type JobEvent = RouterOutputs["generation"]["jobEvents"]["items"][number];

export const WRITER_DETAILS: Record<WriterProvider, { label: string; description: string }> = {
  offline: { label: "Offline", description: "Built in: no network and no keys. The same project and seed always give the same book." },
  openai: { label: "OpenAI", description: "OpenAI’s API, with the server’s OPENAI_API_KEY." },
  anthropic: { label: "Anthropic", description: "Anthropic’s API, with the server’s ANTHROPIC_API_KEY." },
  "openai-compatible": { label: "OpenAI-compatible server", description: "Any server that speaks OpenAI’s chat API, at the base URL below." },
};

/** The project page's address; a query string, as the static export has no dynamic segments. */
export function projectHref(projectId: string): string {
  return `/projects/view?id=${encodeURIComponent(projectId)}`;
}

/** What each job action needs of the latest job (null: none yet), as the server checks it. */
export function jobActions(job: JobStatus | null) {
  const state = job?.status ?? null;
  return {
    canStart: state === null || !isActiveJobStatus(state),
    canPause: (state === "queued" || state === "running") && !job?.pause_requested,
    canResume: state === "paused",
    canCancel: state !== null && isActiveJobStatus(state),
  };
}

const numberFormat = new Intl.NumberFormat("en-US");
const percentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });
const precisePercentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const costFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 4 });

/** "60,000". */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "60,000 words", "1 word". */
export function formatWords(count: number): string {
  return `${numberFormat.format(count)} word${count === 1 ? "" : "s"}`;
}

/** A share from 0 to 1 as "37%". */
export function formatPercent(share: number): string {
  return percentFormat.format(share);
}

/** A share from 0 to 1 as "3.2%", for figures where the decimal matters. */
export function formatPrecisePercent(share: number): string {
  return precisePercentFormat.format(share);
}

/** "$0.0123". */
export function formatCost(usd: number): string {
  return costFormat.format(usd);
}

/** "340 ms", "12.4 s", "3 min 05 s". */
export function formatElapsed(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(milliseconds / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** The writer in a few words: "Offline", "OpenAI · gpt-4o". */
export function describeWriter(writer: Project["writer"]): string {
  const label = WRITER_DETAILS[writer.provider].label;
  return writer.model ? `${label} · ${writer.model}` : label;
}

/** A genre as people write it in a sentence: "science fiction" → "Science fiction". */
export function displayGenre(genre: string): string {
  return genre ? genre.charAt(0).toUpperCase() + genre.slice(1) : "No genre";
}

export interface FieldError {
  /** The input's path as the API names it: "title", "writer.base_url". */
  path: string;
  message: string;
}

/** The offending fields of a 422 answer (the API puts them in the error's shape), or none. */
export function serverFieldErrors(error: unknown): FieldError[] {
  if (!(error instanceof TRPCClientError)) return [];
  const shape: unknown = error.shape;
  if (typeof shape !== "object" || shape === null || !("fields" in shape) || !Array.isArray(shape.fields)) return [];
  return shape.fields.flatMap((field: unknown) => {
    if (typeof field !== "object" || field === null || !("path" in field) || !("message" in field)) return [];
    return typeof field.path === "string" && typeof field.message === "string" ? [{ path: field.path, message: field.message }] : [];
  });
}
