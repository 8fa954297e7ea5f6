import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { CreateApiKeyInput } from "@scriptorium/contract";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RateLimitedError, UnauthorizedError } from "@scriptorium/domain";
import { errorBody, retryAfterSeconds, toTRPCError } from "./errors";

/** What a procedure's failure looks like when it reaches the middleware. */
function thrown(cause: unknown): TRPCError {
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause });
}

describe("error mapping", () => {
  it.each([
    [new NotFoundError("Collection", "c1"), "NOT_FOUND"],
    [new ConflictError("busy"), "CONFLICT"],
    [new InvalidError("bad"), "UNPROCESSABLE_CONTENT"],
    [new UnauthorizedError("who?"), "UNAUTHORIZED"],
    [new ForbiddenError("no"), "FORBIDDEN"],
    [new RateLimitedError("slow down", 7), "TOO_MANY_REQUESTS"],
  ] as const)("maps %s to %s, keeping its message", (cause, code) => {
    const mapped = toTRPCError(thrown(cause));
    expect(mapped.code).toBe(code);
    expect(mapped.message).toBe(cause.message);
  });

  it("answers 503 with Retry-After when the database cannot be reached, however deep the driver's error sits", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const terminated = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    for (const cause of [refused, new Error("Failed query: select 1", { cause: terminated }), new Error("Connection terminated unexpectedly")]) {
      const mapped = toTRPCError(thrown(cause));
      expect(mapped.code).toBe("SERVICE_UNAVAILABLE");
      expect(mapped.message).toMatch(/database cannot be reached/);
      expect(retryAfterSeconds(mapped)).toBeGreaterThan(0);
    }
    // A query the database refused is not an outage.
    expect(toTRPCError(thrown(Object.assign(new Error("syntax error"), { code: "42601" }))).code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("turns input validation failures into 422 naming every field and the rejected value", () => {
    const parsed = CreateApiKeyInput.safeParse({ name: "", scope: "root" });
    if (parsed.success) throw new Error("expected a validation failure");
    const mapped = toTRPCError(new TRPCError({ code: "BAD_REQUEST", cause: parsed.error }));
    expect(mapped.code).toBe("UNPROCESSABLE_CONTENT");
    expect(mapped.message).toContain('"root" is not valid: expected one of "read", "write", "admin", "owner"');
    expect(errorBody(mapped, "r1")).toEqual({
      code: "UNPROCESSABLE_CONTENT",
      message: mapped.message,
      request_id: "r1",
      fields: [
        { path: "name", message: "Give the key a name." },
        { path: "scope", message: '"root" is not valid: expected one of "read", "write", "admin", "owner"' },
      ],
    });
  });

  it("carries the fields of a domain validation error", () => {
    const mapped = toTRPCError(thrown(new InvalidError("Unknown filter type", [{ path: ["artifact_filter", "type"], message: "unknown" }])));
    expect(errorBody(mapped, "r2").fields).toEqual([{ path: "artifact_filter.type", message: "unknown" }]);
  });

  it("hides the message of anything unexpected", () => {
    const mapped = toTRPCError(thrown(new Error("connection string postgres://secret@db")));
    expect(mapped.code).toBe("INTERNAL_SERVER_ERROR");
    expect(errorBody(mapped, "r3")).toEqual({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error", request_id: "r3" });
  });

  it("reports Retry-After seconds for rate limits only", () => {
    expect(retryAfterSeconds(toTRPCError(thrown(new RateLimitedError("slow down", 7))))).toBe(7);
    expect(retryAfterSeconds(toTRPCError(thrown(new ConflictError("x"))))).toBeUndefined();
  });

  it("leaves tRPC's own errors alone", () => {
    const original = new TRPCError({ code: "UNAUTHORIZED", message: "no key" });
    expect(toTRPCError(original)).toBe(original);
  });
});
