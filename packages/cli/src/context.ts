import { type ApiClient, createClient } from "./client.ts";
import { resolveLogin } from "./config.ts";
import type { Output } from "./output.ts";

export interface CommandContext {
  io: Output;
  env: NodeJS.ProcessEnv;
  /** The API client for the current login (throws "not logged in" when there is none). */
  client(): ApiClient;
}

export function createContext(io: Output, env: NodeJS.ProcessEnv): CommandContext {
  let client: ApiClient | undefined;
  return {
    io,
    env,
    client() {
      if (!client) {
        const login = resolveLogin(env);
        client = createClient(login.url, login.token);
      }
      return client;
    },
  };
}
