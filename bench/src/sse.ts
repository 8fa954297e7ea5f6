import { request, type Agent } from "node:http";
import { OWNER_KEY } from "./processes";

export interface Subscriber {
  ids: number[];
  delays: number[];
  opened: Promise<void>;
  done: Promise<void>;
  close(): void;
}

export interface StreamedEvent {
  id: number;
  type: string;
  data: { status?: string };
  created_at: string;
}

/**
 * One SSE subscriber: a plain HTTP GET read line by line, as the SSE format
 * defines it (events end with a blank line; `data:` lines carry the JSON).
 * Light enough that a thousand of them in one process measure the server,
 * not the client.
 */
export function subscribe(url: string, agent: Agent, onEvent: (event: StreamedEvent) => boolean): Subscriber {
  const ids: number[] = [];
  const delays: number[] = [];
  let opened!: () => void;
  let finished!: () => void;
  const req = request(url, { agent, headers: { "x-api-key": OWNER_KEY, accept: "text/event-stream" } }, (response) => {
    opened();
    response.setEncoding("utf8");
    let buffer = "";
    response.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart())
          .join("\n");
        if (!data || block.includes("event: ")) continue; // connection notices and pings
        const event = JSON.parse(data) as StreamedEvent;
        ids.push(event.id);
        delays.push(Date.now() - Date.parse(event.created_at));
        if (onEvent(event)) {
          req.destroy();
          finished();
        }
      }
    });
  });
  // A subscriber closed before its answer came is done with; nothing to report.
  req.on("error", () => undefined);
  req.end();
  return {
    ids,
    delays,
    opened: new Promise((resolve) => (opened = resolve)),
    done: new Promise((resolve) => (finished = resolve)),
    close: () => req.destroy(),
  };
}
