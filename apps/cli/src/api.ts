import { createScriptoriumClient, TRPCClientError, type ScriptoriumClient } from "@scriptorium/client";
import { loadConnection, type Connection } from "./config";
import { CliError, EXIT } from "./output";

export type { RouterInputs, RouterOutputs } from "@scriptorium/client";

/** What a command needs to reach the server: the typed client for procedures, `rest` for the raw-byte routes. */
export interface Api {
  connection: Connection;
  client: ScriptoriumClient;
  /** A REST request; an error answer becomes a CliError with the server's message. */
  rest(path: string, init?: RequestInit): Promise<Response>;
}

export function apiFor(connection: Connection): Api {
  return {
    connection,
    client: createScriptoriumClient({ url: connection.url, apiKey: connection.key, headers: { "user-agent": `scriptorium-cli/${__CLI_VERSION__}` } }),
    async rest(path, init = {}) {
      let response: Response;
      try {
        response = await fetch(`${connection.url}${path}`, { ...init, headers: { ...init.headers, "x-api-key": connection.key } });
      } catch (error) {
        throw translateError(error, connection.url);
      }
      if (!response.ok) {
        const text = await response.text().catch(() => "");
        let message = `${response.status} ${response.statusText}`;
        try {
          const body = JSON.parse(text) as { message?: unknown };
          if (typeof body.message === "string") message = body.message;
        } catch {
          if (text.trim()) message = `${message}: ${text.trim().slice(0, 200)}`;
        }
        throw new ServerAnswer(message, response.status);
      }
      return response;
    },
  };
}

/** The server's refusal of a REST request: its message, and the HTTP status for callers that treat some as expected. */
export class ServerAnswer extends CliError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, EXIT.failed);
  }
}

export async function connect(): Promise<Api> {
  return apiFor(await loadConnection());
}

/** Error codes that mean the server cannot be reached or went away, rather than answered. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function networkCode(error: unknown): string | null {
  for (let cause: unknown = error, depth = 0; cause && depth < 6; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    const message = (cause as { message?: unknown }).message;
    if (typeof message === "string" && /^(fetch failed|terminated|other side closed)$/i.test(message)) {
      const deeper = networkCode((cause as { cause?: unknown }).cause);
      return deeper ?? message;
    }
  }
  return null;
}

const NETWORK_MEANING: Record<string, string> = {
  ECONNREFUSED: "connection refused; is the server running?",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be resolved",
  UND_ERR_SOCKET: "the server closed the connection",
  terminated: "the server closed the connection",
};

/** Any failure as a one-line CliError: the server's own message, or what went wrong on the way to it. */
export function translateError(error: unknown, url: string): CliError {
  if (error instanceof CliError) return error;
  const code = networkCode(error);
  if (code) {
    const meaning = NETWORK_MEANING[code] ?? code;
    return new CliError(`Cannot reach the Scriptorium server at ${url}: ${meaning}${/[.?]$/.test(meaning) ? "" : "."}`, EXIT.failed);
  }
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    const hint = status === 401 ? " (check the key: `scriptorium login --url URL --key KEY`, or SCRIPTORIUM_KEY)" : "";
    return new CliError(`${error.message}${hint}`, EXIT.failed);
  }
  if (error instanceof Error) return new CliError(error.message, EXIT.failed);
  return new CliError(String(error), EXIT.failed);
}

/** True when the error is the server's 404. */
export function isNotFound(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "NOT_FOUND";
}
