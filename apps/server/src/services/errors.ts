import type { ErrorCode, FieldIssue } from "@keyward/contracts/errors";

/** A failure a caller can act on. One handler in app.ts turns these into the error envelope. */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    // An expected outcome, not a bug: capturing a stack would cost more than the rest of a
    // refused request (a bad token at flood rates), and nobody reads it.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
  }
}

export class ValidationError extends ServiceError {
  constructor(message: string, issues?: FieldIssue[], code: ErrorCode = "validation_failed") {
    super(400, code, message, issues);
  }
}

export class UnauthenticatedError extends ServiceError {
  constructor(
    code: "unauthenticated" | "session_expired" | "invalid_credentials" = "unauthenticated",
    message?: string,
  ) {
    super(401, code, message ?? "Sign in to continue.");
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message = "You do not have permission to do that.", code: ErrorCode = "forbidden") {
    super(403, code, message);
  }
}

export class NotFoundError extends ServiceError {
  constructor(code: ErrorCode = "not_found", message = "Not found.") {
    super(404, code, message);
  }
}

export class ConflictError extends ServiceError {
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(409, code, message, issues);
  }
}

export class RateLimitedError extends ServiceError {
  constructor(retryAfterSeconds: number, message = "Too many attempts. Try again later.") {
    super(429, "rate_limited", message, undefined, {
      "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class UnavailableError extends ServiceError {
  constructor(message = "The database is not reachable. Try again shortly.") {
    super(503, "service_unavailable", message);
  }
}
