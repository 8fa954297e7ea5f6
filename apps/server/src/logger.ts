import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/** Secrets that may pass through a log call; pino replaces them before writing. */
const REDACTED_PATHS = [
  "req.headers.authorization",
  'req.headers["x-api-key"]',
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.key",
  "*.api_key",
  "*.apiKey",
  "*.token",
  "*.password",
  "key",
  "api_key",
  "token",
];

/** Access log lines queued beyond this many characters are written at once rather than at the end of the loop turn. */
const MAX_QUEUED_CHARS = 64 * 1024;

/**
 * Standard output for log lines. pino's lines are written at once, as pino's
 * own synchronous destination does. Access log lines (one per request) are
 * written once per event-loop turn: every access line of one batch of I/O
 * goes out in one write, right after that batch — so an idle server still
 * writes each line at once, and a busy one makes one write per turn instead
 * of one per request. Queued lines always go out before the next pino line,
 * so the output keeps its order, and before the process exits.
 */
class StdoutLines implements DestinationStream {
  private readonly target = pino.destination({ dest: 1, sync: true });
  private queued: string[] = [];
  private queuedChars = 0;
  private scheduled = false;

  constructor() {
    process.once("exit", () => this.flushSync());
  }

  /** pino's lines. */
  write(line: string): void {
    this.flushSync();
    this.target.write(line);
  }

  /** Access log lines. */
  queue(line: string): void {
    this.queued.push(line);
    this.queuedChars += line.length;
    if (this.queuedChars >= MAX_QUEUED_CHARS) this.flushSync();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSync);
    }
  }

  /** pino's `logger.flush()`: writes what is queued now. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  readonly flushSync = (): void => {
    this.scheduled = false;
    if (this.queued.length === 0) return;
    const data = this.queued.length === 1 ? (this.queued[0] as string) : this.queued.join("");
    this.queued = [];
    this.queuedChars = 0;
    this.target.write(data);
  };
}

let stdoutLines: StdoutLines | null = null;

/** Options of every logger made here (without redaction); exported for tests. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: "scriptorium" },
    timestamp: isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * pino's ISO timestamp, formatted once per millisecond rather than per line
 * (formatting a date costs more than the rest of a short line).
 */
let lastMillis = -1;
let lastTime = "";
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

export interface RequestLogEntry {
  request_id: string;
  method: string | undefined;
  path: string;
  status: number;
  duration_ms: number;
}

/**
 * One access log line, exactly as pino writes `log.info(entry, "request")`
 * with the options above (a test holds the two together). The line's fields
 * are fixed — no key, token, header or nested object — so no redaction path
 * can match it, and building it directly costs a fraction of pino's generic
 * serializer and redaction pass.
 */
export function accessLogLine(time: string, entry: RequestLogEntry): string {
  let line = `{"level":"info"${time},"service":"scriptorium","request_id":${jsonString(entry.request_id)}`;
  if (entry.method !== undefined) line += `,"method":${jsonString(entry.method)}`;
  const duration = Number.isFinite(entry.duration_ms) ? entry.duration_ms : null;
  return `${line},"path":${jsonString(entry.path)},"status":${entry.status},"duration_ms":${duration},"msg":"request"}\n`;
}

/** Characters JSON never escapes and that make up request ids, methods and most paths. */
const NEEDS_NO_ESCAPE = /^[\w.:/-]*$/;

/** A string as JSON: quoted as it is when nothing in it needs escaping (the usual case), else by JSON.stringify. */
function jsonString(text: string): string {
  return NEEDS_NO_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** The output of each logger made here (see requestLogger). */
const outputs = new WeakMap<Logger, StdoutLines>();

export function createLogger(level: string): Logger {
  stdoutLines ??= new StdoutLines();
  const log = pino({ ...loggerOptions(level), redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, stdoutLines);
  outputs.set(log, stdoutLines);
  return log;
}

/** Writes one access log line per request, at info level, to `log`'s output. */
export function requestLogger(log: Logger): (entry: RequestLogEntry) => void {
  const output = outputs.get(log);
  if (!output) return (entry) => log.info(entry, "request");
  return (entry) => {
    if (log.isLevelEnabled("info")) output.queue(accessLogLine(isoTime(), entry));
  };
}
