import type { ErrorCode, ErrorEnvelope, FieldIssue } from "@keyward/contracts/errors";

/** Codes the client makes up itself, for failures that never produced a server envelope. */
export type ClientErrorCode = "network_error" | "invalid_response";
export type ApiErrorCode = ErrorCode | ClientErrorCode;

interface ApiErrorInit {
  status: number;
  code: ApiErrorCode;
  message: string;
  requestId?: string | null;
  issues?: FieldIssue[];
  retryAfterSeconds?: number | null;
  cause?: unknown;
}

/**
 * The one error type the web app deals with. Every failed call, whatever went wrong, ends up as an
 * ApiError, so components switch on `code` and never on raw responses.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly requestId: string | null;
  readonly issues: FieldIssue[];
  /** From `Retry-After`, when the server asks us to wait. */
  readonly retryAfterSeconds: number | null;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.issues = init.issues ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  /** The server or the network could not answer; trying again later may work. */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const fallbackMessages: Record<number, string> = {
  400: "The request was not accepted.",
  401: "You need to sign in.",
  403: "You are not allowed to do that.",
  404: "That could not be found.",
  409: "That conflicts with something that already exists.",
  413: "That request is too large.",
  429: "Too many requests. Please wait a moment and try again.",
  500: "Something went wrong on the server.",
  502: "Keyward is not reachable right now.",
  503: "Keyward is temporarily unavailable.",
  504: "Keyward took too long to answer.",
};

function fallbackCode(status: number): ErrorCode {
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limited";
  if (status === 503 || status === 502 || status === 504) return "service_unavailable";
  if (status >= 500) return "internal_error";
  return "bad_request";
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return (
    isRecord(value) &&
    Array.isArray(value.path) &&
    value.path.every((p) => typeof p === "string" || typeof p === "number") &&
    typeof value.message === "string"
  );
}

/**
 * Checks the envelope by hand rather than with the contracts' zod schema, which would put zod in
 * the first download. A code this client does not know yet is kept as it is: the message still
 * says what happened.
 */
function readEnvelope(body: unknown): ErrorEnvelope | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const { code, message, requestId, issues } = body.error;
  if (typeof code !== "string" || typeof message !== "string") return null;
  return {
    error: {
      code: code as ErrorCode,
      message,
      requestId: typeof requestId === "string" ? requestId : "",
      ...(Array.isArray(issues) ? { issues: issues.filter(isFieldIssue) } : {}),
    },
  };
}

/**
 * Turns a non-2xx response into an ApiError. This is the only place that knows the shape of the
 * server's error envelope; a proxy's HTML error page or an empty body still yields a useful error.
 */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const requestIdHeader = response.headers.get("x-request-id");
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy error page, an empty body): fall through to a generic error.
  }
  const envelope = readEnvelope(body);
  if (envelope) {
    const { code, message, requestId, issues } = envelope.error;
    return new ApiError({
      status: response.status,
      code,
      message,
      requestId: requestId || requestIdHeader,
      retryAfterSeconds,
      ...(issues ? { issues } : {}),
    });
  }
  return new ApiError({
    status: response.status,
    code: fallbackCode(response.status),
    message:
      fallbackMessages[response.status] ??
      `The server answered with an unexpected status (${response.status}).`,
    requestId: requestIdHeader,
    retryAfterSeconds,
  });
}

export function networkError(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: "network_error",
    message: "Keyward could not be reached. Check your connection and try again.",
    cause,
  });
}

/** A sentence fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}
