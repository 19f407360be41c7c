import type * as AuthContracts from "@keyward/contracts/auth";
import type { z } from "zod";
import { ApiError, apiErrorFromResponse, networkError } from "./api-error.ts";
import { readCookie } from "./cookies.ts";

export const API_BASE = "/api/v1";

// Restated from contracts/auth, whose module also builds zod schemas: importing it here would put
// zod in the first download. The literal types make the build fail if the names ever drift.
const CSRF_COOKIE: typeof AuthContracts.CSRF_COOKIE = "kw_csrf";
const CSRF_HEADER: typeof AuthContracts.CSRF_HEADER = "x-csrf-token";

type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions<T> {
  /** Query string; arrays repeat the key (`userId=a&userId=b`), empty values are left out. */
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  /** Sent as JSON. */
  body?: unknown;
  /** When given, the response body is checked against it and typed by it. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * Set for calls where a 401 is an ordinary answer rather than a lost session (signing in).
   * Every other 401 ends the session in the app.
   */
  ignoreUnauthenticated?: boolean;
}

type UnauthenticatedHandler = (error: ApiError) => void;
let unauthenticatedHandler: UnauthenticatedHandler | null = null;

/**
 * The app registers what a lost session means (clear the cache, show sign-in) once at start-up;
 * the client itself knows nothing about React or the router.
 */
export function onUnauthenticated(handler: UnauthenticatedHandler): () => void {
  unauthenticatedHandler = handler;
  return () => {
    if (unauthenticatedHandler === handler) unauthenticatedHandler = null;
  };
}

function buildUrl(path: string, query: RequestOptions<unknown>["query"]): string {
  const url = path.startsWith("/api/") ? path : `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, raw] of Object.entries(query)) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (value === undefined || value === null || value === "") continue;
      params.append(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

const SESSION_CODES = new Set(["unauthenticated", "session_expired"]);

/**
 * The single way the web app talks to the API: same-origin cookies, JSON in and out, the CSRF
 * header on every state-changing request, and failures turned into ApiError.
 */
export async function apiFetch<T = unknown>(
  method: HttpMethod,
  path: string,
  options: RequestOptions<T> = {},
): Promise<T> {
  const headers = new Headers({ accept: "application/json", ...options.headers });
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers.set("content-type", "application/json");
    init.body = JSON.stringify(options.body);
  }
  if (method !== "GET") {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers.set(CSRF_HEADER, csrf);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    // An aborted request is the caller's decision, not a network failure: let it through as is.
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw networkError(cause);
  }

  if (!response.ok) {
    const error = await apiErrorFromResponse(response);
    if (
      error.status === 401 &&
      SESSION_CODES.has(error.code) &&
      !options.ignoreUnauthenticated &&
      unauthenticatedHandler
    ) {
      unauthenticatedHandler(error);
    }
    throw error;
  }

  if (response.status === 204 || response.status === 205) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ApiError({
      status: response.status,
      code: "invalid_response",
      message: "The server sent an answer Keyward could not read.",
      requestId: response.headers.get("x-request-id"),
      cause,
    });
  }
  if (!options.schema) return data as T;
  const parsed = options.schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiError({
      status: response.status,
      code: "invalid_response",
      message: "The server sent an answer in an unexpected shape.",
      requestId: response.headers.get("x-request-id"),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

type BodylessOptions<T> = Omit<RequestOptions<T>, "body">;

export const api = {
  get: <T = unknown>(path: string, options?: BodylessOptions<T>) =>
    apiFetch<T>("GET", path, options),
  post: <T = unknown>(path: string, body?: unknown, options?: BodylessOptions<T>) =>
    apiFetch<T>("POST", path, { ...options, body }),
  patch: <T = unknown>(path: string, body?: unknown, options?: BodylessOptions<T>) =>
    apiFetch<T>("PATCH", path, { ...options, body }),
  put: <T = unknown>(path: string, body?: unknown, options?: BodylessOptions<T>) =>
    apiFetch<T>("PUT", path, { ...options, body }),
  delete: <T = unknown>(path: string, options?: RequestOptions<T>) =>
    apiFetch<T>("DELETE", path, options),
};
