// A dedicated connection that LISTENs on one Postgres channel and reconnects when it drops.
// Kept out of the pool on purpose: a LISTEN connection is held for the life of the process.
import pg from "pg";
import type { DbHandle } from "./client.ts";

export interface ListenHandlers {
  onMessage(payload: string): void;
  /** Listening (again). Messages sent while disconnected are lost, so callers resync here. */
  onConnect(): void;
  /** The connection is gone; until onConnect, messages may be missed. */
  onDisconnect(error?: unknown): void;
}

export interface Listener {
  readonly connected: boolean;
  /** Resolves once the first connection attempt has finished (successfully or not). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 5000;

export function listen(handle: DbHandle, channel: string, handlers: ListenHandlers): Listener {
  if (!handle.pool) throw new Error("LISTEN needs the postgres engine");
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Unsafe channel name: ${channel}`);
  const options = handle.pool.options;
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let backoff = 100;
  let retryTimer: NodeJS.Timeout | undefined;

  const dropped = (error?: unknown) => {
    if (!client) return;
    const old = client;
    client = undefined;
    old.removeAllListeners();
    old.on("error", () => {});
    old.end().catch(() => {});
    if (connected) {
      connected = false;
      handlers.onDisconnect(error);
    }
    if (!closed) {
      retryTimer = setTimeout(connect, backoff);
      retryTimer.unref();
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ ...options, keepAlive: true });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.onMessage(message.payload ?? "");
    });
    next.on("error", (error) => dropped(error));
    next.on("end", () => dropped());
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
      if (closed || client !== next) {
        await next.end().catch(() => {});
        return;
      }
      connected = true;
      backoff = 100;
      handlers.onConnect();
    } catch (error) {
      if (client === next) dropped(error);
    }
  }

  const ready = connect();
  return {
    get connected() {
      return connected;
    },
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await ready;
      const current = client;
      client = undefined;
      connected = false;
      if (current) {
        current.removeAllListeners();
        current.on("error", () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
