import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { TRPCError } from "@trpc/server";
import { WebSocketServer, type WebSocket } from "ws";
import { runGuarded, toJobStatus, type JobStatusView } from "@scriptorium/api";
import type { GenerationEvent, Services } from "@scriptorium/domain";
import type { Logger } from "../logger";
import { credentialsOf, decodeComponent, requestIdOf } from "./request";

/** `WS /api/v2/projects/{id}/ws`: the job protocol for clients that do not speak tRPC. */
export const JOB_SOCKET_PATH = /^\/api\/v2\/projects\/([^/]+)\/ws$/;

/** Close codes of the protocol: an HTTP status in the 4000 range. */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_NOT_FOUND = 4404;
const CLOSE_TOO_MANY = 4429;
/** How the refusals of the API's guard close a socket: no key or an unknown one, no such project in the key's workspace, over the rate limit. */
const CLOSE_CODE_OF: Partial<Record<TRPCError["code"], number>> = { UNAUTHORIZED: CLOSE_UNAUTHORIZED, NOT_FOUND: CLOSE_NOT_FOUND, TOO_MANY_REQUESTS: CLOSE_TOO_MANY };
/** Open job sockets one API key may hold at once (a dashboard needs one per open project page). */
export const MAX_SOCKETS_PER_KEY = 50;
const STATUS_INTERVAL_MS = 30_000;
/** A client message larger than this is not one of ours. */
const MAX_MESSAGE_BYTES = 4_096;

/** Events that change what a status_update reports. */
const STATE_EVENTS = new Set(["status_update", "stage_started", "stage_completed", "error"]);

type ServerMessage =
  | { type: "status_update"; project_id: string; job: JobStatusView | null; event_id?: number }
  | {
      type: "progress";
      project_id: string;
      job_id: string | null;
      stage: number;
      stage_key: string;
      stage_progress: number;
      progress: number;
      message: string;
      event_id: number;
    }
  | { type: "pong"; ts: number }
  | { type: "error"; message: string };

function progressMessage(event: Extract<GenerationEvent, { type: "progress" }>): ServerMessage {
  const { data } = event;
  return {
    type: "progress",
    project_id: event.project_id,
    job_id: event.job_id,
    stage: data.stage,
    stage_key: data.stage_key,
    stage_progress: data.stage_progress,
    progress: data.progress,
    message: data.message,
    event_id: event.id,
  };
}

/**
 * Serves the job protocol: JSON text messages, `ping` → `pong`,
 * `get_status` → `status_update`, a `status_update` on every state change
 * and every 30 s, `progress` as the job advances. `?last_event_id=` replays
 * what a reconnecting client missed (each message derived from an event
 * carries its `event_id`).
 */
export class JobSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  /** Open sockets by key id. */
  private readonly openByKey = new Map<string, number>();

  constructor(
    private readonly services: Services,
    private readonly log: Logger,
  ) {}

  /** `projectId` as the path has it (percent-encoded); `query`, the upgrade request's. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, projectId: string, query: URLSearchParams): void {
    this.wss.handleUpgrade(req, socket, head, (client) => {
      this.serve(client, req, decodeComponent(projectId), query).catch((error: unknown) => {
        this.log.error({ err: error }, "job socket failed");
        client.close(1011, "internal error");
      });
    });
  }

  close(): void {
    for (const client of this.wss.clients) client.close(1001, "server shutting down");
    this.wss.close();
  }

  /** `pathProjectId` is null when the path segment was not valid percent-encoding. */
  private async serve(client: WebSocket, req: IncomingMessage, pathProjectId: string | null, query: URLSearchParams): Promise<void> {
    const apiKey = query.get("api_key") || credentialsOf(req).apiKey;
    // The key and the project's workspace are checked by the API's guard, as for every procedure: same authentication, rate limit and errors.
    let access;
    try {
      access = await runGuarded({ services: this.services, requestId: requestIdOf(req), apiKey }, "read", async (principal) => {
        // No project has such an id (and the database cannot even hold a NUL).
        if (pathProjectId === null || pathProjectId.includes("\u0000")) throw new TRPCError({ code: "NOT_FOUND", message: "No project has this id." });
        return { principal, projectId: pathProjectId, project: await this.services.projects.get(principal.workspaceId, pathProjectId) };
      });
    } catch (error) {
      const code = error instanceof TRPCError ? CLOSE_CODE_OF[error.code] : undefined;
      if (code === undefined) throw error;
      client.close(code, (error as TRPCError).message);
      return;
    }
    const { principal, projectId, project } = access;
    const open = this.openByKey.get(principal.keyId) ?? 0;
    if (open >= MAX_SOCKETS_PER_KEY) {
      client.close(CLOSE_TOO_MANY, `This API key already has ${open} open job sockets (at most ${MAX_SOCKETS_PER_KEY}); close one first.`);
      return;
    }
    this.openByKey.set(principal.keyId, open + 1);
    client.on("close", () => {
      const remaining = (this.openByKey.get(principal.keyId) ?? 1) - 1;
      if (remaining > 0) this.openByKey.set(principal.keyId, remaining);
      else this.openByKey.delete(principal.keyId);
    });
    const workspaceId = principal.workspaceId;

    const stop = new AbortController();
    const send = (message: ServerMessage) => {
      if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
    };
    const sendStatus = async (eventId?: number) => {
      const report = await this.services.jobs.statusOrNull(workspaceId, projectId);
      send({ type: "status_update", project_id: projectId, job: report && toJobStatus(report), ...(eventId !== undefined && { event_id: eventId }) });
    };
    const fail = (error: unknown) => {
      this.log.error({ err: error, project_id: projectId }, "job socket failed");
      client.close(1011, "internal error");
    };

    client.on("message", (raw, isBinary) => {
      let message: unknown;
      try {
        message = isBinary ? null : JSON.parse(raw.toString());
      } catch {
        message = null;
      }
      const type = typeof message === "object" && message !== null ? (message as { type?: unknown }).type : undefined;
      if (type === "ping") send({ type: "pong", ts: Date.now() });
      else if (type === "get_status") sendStatus().catch(fail);
      else send({ type: "error", message: `Unknown message${typeof type === "string" ? ` type "${type}"` : ""}: send {"type":"ping"} or {"type":"get_status"}.` });
    });
    const periodic = setInterval(() => sendStatus().catch(fail), STATUS_INTERVAL_MS);
    client.on("close", () => {
      clearInterval(periodic);
      stop.abort();
    });

    const lastEventId = Number(query.get("last_event_id"));
    const after = Number.isInteger(lastEventId) && lastEventId >= 0 && query.has("last_event_id") ? lastEventId : project.lastEventId;
    await sendStatus();
    try {
      for await (const event of this.services.jobs.follow(workspaceId, projectId, after, stop.signal)) {
        if (event.type === "progress") send(progressMessage(event));
        else if (STATE_EVENTS.has(event.type)) await sendStatus(event.id);
      }
    } catch (error) {
      if (!stop.signal.aborted) fail(error);
    }
  }
}
