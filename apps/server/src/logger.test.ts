import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { accessLogLine, loggerOptions, type RequestLogEntry } from "./logger";

describe("the access log line", () => {
  it("is exactly what pino writes for the same entry", () => {
    const time = ',"time":"2026-01-02T03:04:05.678Z"';
    const lines: string[] = [];
    const log = pino({ ...loggerOptions("info"), timestamp: () => time }, { write: (line: string) => void lines.push(line) });
    const entries: RequestLogEntry[] = [
      { request_id: "9720393d-5c98-438a-8079-0791961577e8", method: "GET", path: "/trpc/auth.whoami", status: 200, duration_ms: 3.5 },
      { request_id: "abc", method: "POST", path: '/api/v1/with "quotes" and \\ backslash', status: 422, duration_ms: 12 },
      { request_id: "x.y:z-1", method: "DELETE", path: "/a/very/long/path/that/is/longer/than/forty-two/characters/%20é", status: 500, duration_ms: 0 },
      { request_id: "ctl", method: undefined, path: "/tab\there\u0001", status: 404, duration_ms: Number.NaN },
    ];
    for (const entry of entries) {
      log.info(entry, "request");
      expect(accessLogLine(time, entry)).toBe(lines.pop());
    }
  });
});
