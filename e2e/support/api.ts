// Seeding through the real API, as the owner (the server runs in its own process on an embedded
// database, so there is no back door). Each helper answers what the API answered.
import type { Token, TokenWithSecret } from "@keyward/contracts/tokens";
import type { UserDto } from "@keyward/contracts/users";
import { type APIRequestContext, expect, request } from "@playwright/test";
import { OWNER } from "./constants.ts";

const CSRF_COOKIE = "kw_csrf";
const CSRF_HEADER = "x-csrf-token";

export interface Account {
  username: string;
  password: string;
}

export interface ApiClient {
  context: APIRequestContext;
  user: { id: string; username: string };
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

function baseURL(): string {
  return `http://127.0.0.1:${process.env.E2E_PORT ?? 18080}`;
}

/** A signed-in API session (cookie and CSRF header), like the web app's. */
export async function apiSession(account: Account = OWNER): Promise<ApiClient> {
  const context = await request.newContext({ baseURL: baseURL() });
  const login = await context.post("/api/v1/auth/login", {
    data: { username: account.username, password: account.password },
  });
  expect(login.status(), `sign in as ${account.username}`).toBe(200);
  const { user } = (await login.json()) as { user: { id: string; username: string } };
  const state = await context.storageState();
  const csrf = state.cookies.find((cookie) => cookie.name === CSRF_COOKIE)?.value ?? "";

  const call = async <T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown) => {
    const response = await context.fetch(`/api/v1${path}`, {
      method,
      headers: method === "GET" ? {} : { [CSRF_HEADER]: csrf },
      ...(body === undefined ? {} : { data: body }),
    });
    const text = await response.text();
    if (!response.ok()) {
      throw new Error(`${method} ${path} answered ${response.status()}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };

  return {
    context,
    user,
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body),
    patch: (path, body) => call("PATCH", path, body),
    dispose: () => context.dispose(),
  };
}

/** A short random tag so names made by one test never collide with another's. */
export function uniqueTag(): string {
  return Math.random().toString(36).slice(2, 8);
}

export const ROLE_IDS = {
  owner: "rol_owner",
  admin: "rol_admin",
  auditor: "rol_auditor",
  member: "rol_member",
  guest: "rol_guest",
} as const;

/** Creates a user with a strong password; answers the user and how to sign in as them. */
export async function createUser(
  owner: ApiClient,
  options: { username: string; displayName?: string; role: keyof typeof ROLE_IDS },
): Promise<{ user: UserDto; account: Account }> {
  // Strong enough for the server's rule, which refuses a password containing the username.
  const password = `E2e-${Math.random().toString(36).slice(2, 10)}-Pass-2026!`;
  const user = await owner.post<UserDto>("/users", {
    username: options.username,
    displayName: options.displayName ?? options.username,
    roleId: ROLE_IDS[options.role],
    password,
  });
  return { user, account: { username: options.username, password } };
}

export interface SeedToken {
  name: string;
  userId?: string;
  description?: string;
  /** ISO instant, null for never; omitted: the deployment default. */
  expiresAt?: string | null;
  enabled?: boolean;
  scopes?: string[];
}

export function createToken(client: ApiClient, token: SeedToken): Promise<TokenWithSecret> {
  return client.post<TokenWithSecret>("/tokens", token);
}

export function getTokens(client: ApiClient, query: string): Promise<{ items: Token[] }> {
  return client.get(`/tokens?${query}`);
}

export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

/** A fresh, cookie-less context: what a script holding only the secret would use. */
export async function bearerContext(secret: string): Promise<APIRequestContext> {
  return request.newContext({
    baseURL: baseURL(),
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
  });
}

/** A fresh, cookie-less context with no credentials: a stranger's script. */
export async function anonymousContext(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: baseURL() });
}
