import { pino, type Logger } from "pino";

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

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "scriptorium" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  });
}
