import cliProgress from "cli-progress";
import { STAGES } from "@scriptorium/contract";
import type { Api, RouterOutputs } from "./api";
import { translateError } from "./api";
import { CliError, colour, EXIT, isTerminal, line, note, printJsonLine, type ExitCode } from "./output";
import type { Project } from "./resolve";

type JobStatus = RouterOutputs["generation"]["status"];
type Event = { id: number; type: string; data: Record<string, unknown>; created_at: string };

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
/** How long the live stream may stay disconnected before following gives up (a server restart fits within it). */
const RECONNECT_GRACE_MS = 15_000;
/** The job's word count is read at most this often while following (events do not carry it). */
const WORDS_POLL_MS = 1_000;

interface Display {
  event(event: Event): void;
  words(words: number): void;
  stop(): void;
}

/** One bar per stage and a line for the words written, redrawn in place. */
function barsDisplay(job: JobStatus): Display {
  const multibar = new cliProgress.MultiBar(
    {
      format: (options, params, payload: { label: string; state: string }) => {
        const size = options.barsize ?? 30;
        const filled = Math.round(params.progress * size);
        const bar = `${"█".repeat(filled)}${"░".repeat(size - filled)}`;
        return `${payload.label} ${bar} ${String(Math.round(params.progress * 100)).padStart(3)}%  ${payload.state}`;
      },
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const width = Math.max(...STAGES.map((s) => s.name.length)) + 4;
  const stages = job.only_stage ? job.stages.filter((s) => s.number === job.only_stage) : job.stages;
  const bars = new Map<number, cliProgress.SingleBar>();
  for (const stage of stages) {
    const label = `${String(stage.number).padStart(2)} ${stage.name}`.padEnd(width);
    bars.set(stage.number, multibar.create(100, Math.round(stage.progress * 100), { label, state: stage.status === "pending" ? "" : stage.status }));
  }
  const words = multibar.create(1, 0, { label: "", state: "" }, { format: (_o, _p, payload: { text: string }) => payload.text });
  words.update(0, { text: `words written: ${job.words.toLocaleString("en")}` });
  return {
    event(event) {
      const stage = typeof event.data.stage === "number" ? bars.get(event.data.stage) : undefined;
      if (event.type === "stage_started") stage?.update({ state: event.data.resumed ? "resumed" : "running" });
      if (event.type === "progress" && typeof event.data.stage_progress === "number") stage?.update(Math.round(event.data.stage_progress * 100), { state: "running" });
      if (event.type === "stage_completed") stage?.update(100, { state: colour.green("done") });
      if (event.type === "error") stage?.update({ state: colour.red("failed") });
    },
    words(count) {
      words.update(0, { text: `words written: ${count.toLocaleString("en")}` });
    },
    stop() {
      multibar.stop();
    },
  };
}

/** Plain lines for logs and pipes: stage starts and ends, progress in tenths, the words written. */
function linesDisplay(): Display {
  const shownTenth = new Map<number, number>();
  let lastWords = -1;
  return {
    event(event) {
      const d = event.data;
      const name = typeof d.stage === "number" ? `stage ${d.stage} ${STAGES.find((s) => s.number === d.stage)?.name ?? ""}`.trim() : "";
      if (event.type === "status_update") line(`job ${String(d.status)}${d.reason ? ` (${String(d.reason)})` : ""}`);
      if (event.type === "stage_started") line(`${name} ${d.resumed ? "resumed" : "started"}`);
      if (event.type === "stage_completed") line(`${name} completed in ${(Number(d.duration_ms) / 1000).toFixed(1)} s`);
      if (event.type === "error") line(`${name || "job"} failed: ${String(d.message)}`);
      if (event.type === "log" && d.level !== "info") line(`${String(d.level)}: ${String(d.message)}`);
      if (event.type === "progress" && typeof d.stage === "number" && typeof d.stage_progress === "number") {
        const tenth = Math.floor(d.stage_progress * 10);
        if (tenth > (shownTenth.get(d.stage) ?? 0) && tenth < 10) {
          shownTenth.set(d.stage, tenth);
          line(`${name} ${tenth * 10}%`);
        }
      }
    },
    words(count) {
      if (count !== lastWords && count > 0) line(`words written: ${count}`);
      lastWords = count;
    },
    stop() {},
  };
}

function jsonDisplay(): Display {
  return { event: (event) => printJsonLine(event), words() {}, stop() {} };
}

/**
 * Follows a project's job until it completes, fails or is cancelled (or
 * pauses for its budget). Ctrl-C stops following only: the job goes on.
 */
export async function followJob(api: Api, project: Project, json: boolean, from?: JobStatus): Promise<ExitCode> {
  const start = from ?? (await api.client.generation.status.query({ id: project.id }));
  if (TERMINAL.has(start.status) && !from) {
    if (json) printJsonLine(start);
    else line(`The latest job of ${project.title} is ${start.status} (${start.words.toLocaleString("en")} words); nothing to follow.`);
    return exitFor(start);
  }
  const display = json ? jsonDisplay() : isTerminal() ? barsDisplay(start) : linesDisplay();
  let lastWordsPoll = 0;
  let polling = false;
  const pollWords = async (force = false) => {
    if (json || polling || (!force && Date.now() - lastWordsPoll < WORDS_POLL_MS)) return;
    polling = true;
    lastWordsPoll = Date.now();
    try {
      display.words((await api.client.generation.status.query({ id: project.id })).words);
    } catch {
      // The count is a courtesy; a failed read is retried on the next event.
    } finally {
      polling = false;
    }
  };

  const outcome = await new Promise<{ kind: "ended"; status: string; reason?: string } | { kind: "interrupted" } | { kind: "error"; error: CliError }>((resolve) => {
    let disconnectedSince: number | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (value: Parameters<typeof resolve>[0]) => {
      clearTimeout(graceTimer);
      process.off("SIGINT", onInterrupt);
      subscription.unsubscribe();
      resolve(value);
    };
    const onInterrupt = () => finish({ kind: "interrupted" });
    process.on("SIGINT", onInterrupt);
    const subscription = api.client.generation.events.subscribe(
      { project_id: project.id, lastEventId: String(start.last_event_id) },
      {
        onData: (tracked) => {
          const event = tracked.data as unknown as Event;
          display.event(event);
          if (event.type === "stage_completed") void pollWords(true);
          else if (event.type === "progress") void pollWords();
          if (event.type === "status_update") {
            const status = String(event.data.status);
            const reason = event.data.reason === undefined ? undefined : String(event.data.reason);
            if (TERMINAL.has(status) || (status === "paused" && reason === "budget_exhausted")) finish({ kind: "ended", status, reason });
          }
        },
        onError: (error) => finish({ kind: "error", error: translateError(error, api.connection.url) }),
        onConnectionStateChange: (state) => {
          if (state.state === "connecting" && state.error) {
            disconnectedSince ??= Date.now();
            clearTimeout(graceTimer);
            graceTimer = setTimeout(
              () => finish({ kind: "error", error: new CliError(`Lost the connection to the Scriptorium server at ${api.connection.url}: ${state.error?.message ?? "no answer"}.`) }),
              Math.max(0, RECONNECT_GRACE_MS - (Date.now() - disconnectedSince)),
            );
          } else if (state.state === "pending") {
            disconnectedSince = null;
            clearTimeout(graceTimer);
          }
        },
      },
    );
  });
  display.stop();

  if (outcome.kind === "interrupted") {
    note(`Stopped following; the job goes on. Follow it again with: scriptorium follow ${project.id}`);
    return 130 as ExitCode;
  }
  if (outcome.kind === "error") throw outcome.error;
  const final = await api.client.generation.status.query({ id: project.id });
  if (!json) {
    display.words(final.words);
    const summary = `${project.title}: job ${final.status}, ${final.words.toLocaleString("en")} words`;
    if (final.status === "completed") line(colour.green(summary));
    else if (final.status === "paused") line(colour.yellow(`${summary}; paused: its budget is spent (raise budget_usd, then scriptorium resume ${project.id})`));
    else line(colour.red(`${summary}${final.error ? `: ${final.error}` : ""}`));
  }
  return exitFor(final);
}

function exitFor(status: JobStatus): ExitCode {
  if (status.status === "completed") return EXIT.ok;
  if (status.status === "paused") return EXIT.attention;
  return EXIT.failed;
}
