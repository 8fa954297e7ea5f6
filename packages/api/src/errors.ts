import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { DomainError, InvalidError, isDatabaseUnavailable, RateLimitedError } from "@scriptorium/domain";
import { z, ZodError } from "zod";

/** Quotes a rejected value for an error message, never at unbounded length. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// Validation messages name the rejected value and the accepted ones, so a
// person (or a script's log) can see at once what to change.
z.config({
  customError: (issue) =>
    issue.code === "invalid_value"
      ? `${quote(issue.input)} is not valid: expected one of ${issue.values.map(quote).join(", ")}`
      : undefined,
});

/** The one place where domain failures become transport codes. */
const CODE_BY_KIND: Record<DomainError["kind"], TRPC_ERROR_CODE_KEY> = {
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  invalid: "UNPROCESSABLE_CONTENT",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  rate_limited: "TOO_MANY_REQUESTS",
  precondition_failed: "PRECONDITION_FAILED",
  too_large: "PAYLOAD_TOO_LARGE",
};

export interface ErrorField {
  path: string;
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".") || "(body)";
}

function fieldsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ErrorField[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** What a client is told to wait before trying again while the database is unreachable (a restart takes seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Turns whatever a procedure threw into the TRPCError the adapters expect:
 * domain errors get their code, input validation failures become 422 with
 * the offending fields, a database that cannot be reached 503, anything
 * else stays an opaque 500.
 */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: `The database cannot be reached at the moment (it may be restarting). Retry in ${DATABASE_RETRY_AFTER_SECONDS} s.`,
      cause,
    });
  }
  if (cause instanceof DomainError) {
    return new TRPCError({ code: CODE_BY_KIND[cause.kind], message: cause.message, cause });
  }
  if (error.code === "BAD_REQUEST" && cause instanceof ZodError) {
    const fields = fieldsOf(cause.issues);
    const summary = fields.map((field) => `${field.path}: ${field.message}`).join("; ");
    return new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: `Invalid input — ${summary}`, cause });
  }
  return error;
}

/** Anything thrown, as the TRPCError the adapters expect (see toTRPCError). */
export function toMappedError(thrown: unknown): TRPCError {
  return toTRPCError(thrown instanceof TRPCError ? thrown : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: thrown }));
}

/** Validation details carried by an error, if any. */
export function errorFields(error: TRPCError): ErrorField[] | undefined {
  const cause = error.cause;
  if (cause instanceof ZodError) return fieldsOf(cause.issues);
  if (cause instanceof InvalidError && cause.fields.length > 0) return fieldsOf(cause.fields);
  return undefined;
}

/** Seconds for a Retry-After header: when rate limited, or while the database is away. */
export function retryAfterSeconds(error: TRPCError): number | undefined {
  if (error.cause instanceof RateLimitedError) return error.cause.retryAfterSeconds;
  return error.code === "SERVICE_UNAVAILABLE" ? DATABASE_RETRY_AFTER_SECONDS : undefined;
}

/** The body every REST error carries; tRPC clients find the same fields in `error.shape`. */
export interface ErrorBody {
  code: string;
  message: string;
  request_id: string;
  fields?: ErrorField[];
}

export function errorBody(error: TRPCError, requestId: string): ErrorBody {
  // Internal messages and stacks never leave the server.
  const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : error.message;
  const fields = errorFields(error);
  return fields ? { code: error.code, message, request_id: requestId, fields } : { code: error.code, message, request_id: requestId };
}
