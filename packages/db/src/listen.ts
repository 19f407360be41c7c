// A dedicated connection that LISTENs on one Postgres channel and reconnects when it drops.
// Kept out of the pool on purpose: a LISTEN connection is held for the life of the process.
// A connection can also die silently (a network partition, a frozen server): no error, no end,
// and no messages either. A heartbeat query every HEARTBEAT_INTERVAL_MS that must answer within
// HEARTBEAT_TIMEOUT_MS turns that into a drop, so callers never believe they are listening for
// longer than about the sum of the two after the link went quiet (docs/decisions/0011).
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

export interface ListenOptions {
  /** Shown in pg_stat_activity, so operators (and tests) can tell this connection apart. */
  applicationName?: string;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
}

const MAX_BACKOFF_MS = 5000;
export const HEARTBEAT_INTERVAL_MS = 1000;
export const HEARTBEAT_TIMEOUT_MS = 3000;

/** Closes a client's socket at once; end() would wait for a server that may never answer. */
function destroy(client: pg.Client): void {
  client.removeAllListeners();
  client.on("error", () => {});
  const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
    ?.stream;
  socket?.destroy();
}

export function listen(
  handle: DbHandle,
  channel: string,
  handlers: ListenHandlers,
  listenOptions: ListenOptions = {},
): Listener {
  if (!handle.pool) throw new Error("LISTEN needs the postgres engine");
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Unsafe channel name: ${channel}`);
  const options = handle.pool.options;
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let backoff = 100;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  const heartbeatIntervalMs = listenOptions.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
  const heartbeatTimeoutMs = listenOptions.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;

  const dropped = (error?: unknown) => {
    if (!client) return;
    const old = client;
    client = undefined;
    clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
    destroy(old);
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
    const next = new pg.Client({
      ...options,
      keepAlive: true,
      application_name: listenOptions.applicationName ?? options.application_name,
    });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.onMessage(message.payload ?? "");
    });
    next.on("error", (error) => dropped(error));
    next.on("end", () => dropped());
    // Connecting has its own timeout, the LISTEN statement has none: bound the whole setup.
    const setupTimer = setTimeout(
      () => {
        if (client === next) dropped(new Error("LISTEN connection setup timed out"));
      },
      (options.connectionTimeoutMillis ?? 0) + heartbeatTimeoutMs,
    );
    setupTimer.unref();
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
      clearTimeout(setupTimer);
      if (closed || client !== next) {
        await next.end().catch(() => {});
        return;
      }
      connected = true;
      backoff = 100;
      startHeartbeat(next);
      handlers.onConnect();
    } catch (error) {
      clearTimeout(setupTimer);
      if (client === next) dropped(error);
    }
  }

  /** While connected: a trivial query on the listening connection must answer in time. */
  function startHeartbeat(current: pg.Client): void {
    let waiting = false;
    heartbeatTimer = setInterval(() => {
      if (waiting || client !== current) return;
      waiting = true;
      const deadline = setTimeout(() => {
        if (client === current)
          dropped(new Error(`LISTEN connection silent for ${heartbeatTimeoutMs} ms`));
      }, heartbeatTimeoutMs);
      deadline.unref();
      current.query("select 1").then(
        () => {
          clearTimeout(deadline);
          waiting = false;
        },
        (error: unknown) => {
          clearTimeout(deadline);
          if (client === current) dropped(error);
        },
      );
    }, heartbeatIntervalMs);
    heartbeatTimer.unref();
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
      clearInterval(heartbeatTimer);
      await ready;
      const current = client;
      client = undefined;
      connected = false;
      if (current) {
        current.removeAllListeners();
        current.on("error", () => {});
        // A polite goodbye, but not one that waits on a server that stopped answering.
        await Promise.race([
          current.end().catch(() => {}),
          new Promise((r) => setTimeout(r, 1000).unref()),
        ]);
        destroy(current);
      }
    },
  };
}
