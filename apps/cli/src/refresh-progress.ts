import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import cliProgress from "cli-progress";
import type { Api } from "./api";
import { isTerminal } from "./output";

const PHASE_LABELS = { reading: "comparing with upstream", applying: "writing changes", done: "done" } as const;

/**
 * Runs a refresh with a progress bar on a terminal: the refresh is started
 * with a token of ours and `collections.refreshProgress` follows it. Off a
 * terminal (or with --json) it just runs. The bar is a view only: if the
 * progress stream fails, the refresh goes on without it.
 */
export async function withRefreshProgress<T>(api: Api, collection: { id: string; name: string }, json: boolean, run: (token: string | undefined) => Promise<T>): Promise<T> {
  if (json || !isTerminal()) return run(undefined);
  const token = randomUUID();
  const bar = new cliProgress.SingleBar(
    { format: `Refreshing ${collection.name} |{bar}| {value}/{total} artifacts  {phase}`, hideCursor: true, clearOnComplete: true, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { phase: "starting" });
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const subscription = api.client.collections.refreshProgress.subscribe(
    { collection_id: collection.id, progress_token: token },
    {
      onStarted: () => started(),
      onData: (progress) => {
        bar.setTotal(progress.total);
        bar.update(progress.done, { phase: PHASE_LABELS[progress.phase] });
        if (progress.phase === "done") finished();
      },
      onError: () => started(),
    },
  );
  // The subscription is open before the refresh starts, so no update falls before it (a slow one is not waited for long).
  await Promise.race([ready, sleep(2_000)]);
  try {
    const result = await run(token);
    // The last update may still be on its way when the answer is here.
    await Promise.race([done, sleep(500)]);
    return result;
  } finally {
    subscription.unsubscribe();
    bar.stop();
  }
}
