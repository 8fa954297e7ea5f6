/**
 * Typed failures of the domain. Transports map them to status codes in one
 * place (packages/api/src/errors.ts); the domain never speaks HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: "not_found" | "conflict" | "invalid" | "unauthorized" | "forbidden" | "rate_limited" | "precondition_failed" | "too_large";
}

export class NotFoundError extends DomainError {
  readonly kind = "not_found";
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found.`);
    this.name = "NotFoundError";
  }
}

export class ConflictError extends DomainError {
  readonly kind = "conflict";
  override name = "ConflictError";
}

export interface InvalidField {
  path: (string | number)[];
  message: string;
}

export class InvalidError extends DomainError {
  readonly kind = "invalid";
  override name = "InvalidError";
  constructor(
    message: string,
    readonly fields: InvalidField[] = [],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = "unauthorized";
  override name = "UnauthorizedError";
}

export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
  override name = "ForbiddenError";
}

/** A conditional change whose condition no longer holds (a file's If-Match hash is stale): nothing was changed. */
export class PreconditionFailedError extends DomainError {
  readonly kind = "precondition_failed";
  override name = "PreconditionFailedError";
}

/** Content over one of the limits (CONTENT_LIMITS): nothing was stored. */
export class TooLargeError extends DomainError {
  readonly kind = "too_large";
  override name = "TooLargeError";
}

export class RateLimitedError extends DomainError {
  readonly kind = "rate_limited";
  override name = "RateLimitedError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
