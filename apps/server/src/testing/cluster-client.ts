import { createScriptoriumClient, type RouterOutputs } from "@scriptorium/client";
import type { RunningTestServer } from "./test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
export type Manuscript = RouterOutputs["generation"]["manuscript"];
export type GenerationEvent = RouterOutputs["generation"]["eventLog"]["items"][number];

/**
 * What the multi-process suites do to a cluster of Scriptorium processes,
 * as one API key: REST calls, reading a project's event log, following its
 * events over tRPC SSE.
 */
export class ClusterClient {
  constructor(readonly key: string) {}

  async api<T>(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { "x-api-key": this.key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  }

  /** Every event of a project, read back from the log page by page. */
  async eventLog(url: string, projectId: string): Promise<GenerationEvent[]> {
    const events: GenerationEvent[] = [];
    for (;;) {
      const page = await this.api<{ items: GenerationEvent[] }>(url, "GET", `/v2/projects/${projectId}/generate/events?after=${events.at(-1)?.id ?? 0}`);
      events.push(...page.body.items);
      if (page.body.items.length === 0) return events;
    }
  }

  /** Polls a project's job until `done` holds; a 503 (the database away) counts as "not yet". */
  jobStatus(url: string, projectId: string, done: (job: JobStatus) => boolean, timeoutMs: number, what: string): Promise<JobStatus> {
    return waitUntil(
      async () => {
        const answer = await this.api<JobStatus>(url, "GET", `/v2/projects/${projectId}/generate/status`);
        return answer.status === 200 ? answer.body : null;
      },
      (job) => job !== null && done(job),
      timeoutMs,
      what,
    ) as Promise<JobStatus>;
  }

  /**
   * Follows a project's events over tRPC SSE until its job completes and
   * resolves with the ids received. With `switchTo`, it disconnects after
   * `switchAfter` events and resumes on that other node from its last id.
   */
  follow(url: string, projectId: string, switchTo?: { url: string; after: number }): Promise<number[]> {
    const ids: number[] = [];
    return new Promise((resolve, reject) => {
      const subscribe = (nodeUrl: string, lastEventId: string | undefined) => {
        const client = createScriptoriumClient({ url: nodeUrl, apiKey: this.key });
        const subscription = client.generation.events.subscribe(
          { project_id: projectId, lastEventId },
          {
            onData: ({ id, data }) => {
              ids.push(data.id);
              if (data.type === "status_update" && data.data.status === "completed") {
                subscription.unsubscribe();
                resolve(ids);
              } else if (switchTo && nodeUrl !== switchTo.url && ids.length === switchTo.after) {
                subscription.unsubscribe();
                subscribe(switchTo.url, id);
              }
            },
            onError: reject,
          },
        );
      };
      subscribe(url, undefined);
    });
  }
}

export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The manuscripts a single in-process server writes for the same projects: the reference for byte-identical output. */
export async function referenceManuscripts(reference: RunningTestServer, books: Record<string, unknown>[]): Promise<Manuscript[]> {
  const client = new ClusterClient(reference.ownerKey);
  const manuscripts: Manuscript[] = [];
  for (const book of books) {
    const project = (await client.api<Project>(reference.url, "POST", "/v2/projects", book)).body;
    await client.api(reference.url, "POST", `/v2/projects/${project.id}/generate`, {});
    await client.jobStatus(reference.url, project.id, (job) => job.status === "completed", 120_000, "the reference run");
    manuscripts.push((await client.api<Manuscript>(reference.url, "GET", `/v2/projects/${project.id}/manuscript`)).body);
  }
  return manuscripts;
}
