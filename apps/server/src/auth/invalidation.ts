// Telling every server process that cached token answers are stale. A verb publishes inside its
// transaction (pg_notify is delivered only on commit) and applies the same event to its own cache
// right after commit, so the very next request here is refused; other processes follow within
// milliseconds through LISTEN. While the LISTEN connection is down the cache is switched off, so a
// missed message can never leave a stale "valid" answer (docs/decisions/0007).
import type { DbHandle } from "@keyward/db/client";
import { type DB, sql, type Transaction } from "@keyward/db/kysely";
import { type Listener, listen } from "@keyward/db/listen";
import type { Database } from "@keyward/db/types";
import type { Logger } from "../lib/logger.ts";
import type { TokenCache } from "./token-cache.ts";

export const AUTH_CHANNEL = "keyward_auth";

export type InvalidationEvent =
  | { kind: "tokens"; ids: string[] }
  | { kind: "user"; userId: string }
  | { kind: "all" };

// A NOTIFY payload must stay under 8,000 bytes; beyond this many ids, drop everything instead.
const MAX_IDS_PER_MESSAGE = 200;

function compact(event: InvalidationEvent): InvalidationEvent {
  return event.kind === "tokens" && event.ids.length > MAX_IDS_PER_MESSAGE
    ? { kind: "all" }
    : event;
}

function parse(payload: string): InvalidationEvent {
  try {
    const event = JSON.parse(payload) as InvalidationEvent;
    if (event.kind === "tokens" && Array.isArray(event.ids)) return event;
    if (event.kind === "user" && typeof event.userId === "string") return event;
  } catch {
    // Fall through: an unreadable message clears everything, which is always safe.
  }
  return { kind: "all" };
}

export class AuthInvalidation {
  private listener: Listener | undefined;

  constructor(
    private readonly db: DbHandle,
    private readonly cache: TokenCache,
    private readonly logger: Logger,
  ) {}

  /** Starts listening (postgres). Until connected, the cache stays off. */
  start(): void {
    if (this.db.engine !== "postgres") return; // One embedded process: local invalidation is all.
    this.cache.setEnabled(false);
    this.listener = listen(
      this.db,
      AUTH_CHANNEL,
      {
        onMessage: (payload) => this.apply(parse(payload)),
        onConnect: () => this.cache.setEnabled(true),
        onDisconnect: (error) => {
          this.cache.setEnabled(false);
          this.logger.warn(
            { err: error },
            "lost the invalidation listener; token cache off until it reconnects",
          );
        },
      },
      { applicationName: `keyward-listen pid=${process.pid}` },
    );
  }

  /** Resolves when the listener's first connection attempt is over (tests wait on it). */
  async ready(): Promise<void> {
    await this.listener?.ready;
  }

  /** Call inside the transaction that makes the change. */
  async publish(trx: DB | Transaction<Database>, event: InvalidationEvent): Promise<void> {
    await sql`select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify(compact(event))})`.execute(trx);
  }

  /** Call right after the transaction commits: this process must not wait for the round trip. */
  apply(event: InvalidationEvent): void {
    if (event.kind === "tokens") this.cache.invalidateTokens(event.ids);
    else if (event.kind === "user") this.cache.invalidateUser(event.userId);
    else this.cache.invalidateAll();
  }

  async stop(): Promise<void> {
    await this.listener?.close();
    this.listener = undefined;
  }
}
