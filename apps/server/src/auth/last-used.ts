import { type DB, sql } from "@keyward/db/kysely";
import type { Logger } from "../lib/logger.ts";

interface Use {
  /** Epoch milliseconds: a Date per request would be an allocation for nothing. */
  at: number;
  ip: string;
  userAgent: string | null;
}

const CHUNK = 5000;

/**
 * Remembers when each token was last used, and writes it in one set-based UPDATE every few
 * seconds instead of on every request: a request never waits on a write. Only the latest use per
 * token is kept. A crash loses at most one interval of "last used", which is advisory data.
 */
export class LastUsedRecorder {
  private pending = new Map<string, Use>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DB,
    private readonly logger: Logger,
    private readonly intervalMs = 5000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  record(tokenId: string, ip: string, userAgent: string | null): void {
    this.pending.set(tokenId, { at: Date.now(), ip, userAgent });
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Writes everything buffered so far. Flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    for (let i = 0; i < batch.length; i += CHUNK) {
      const chunk = batch.slice(i, i + CHUNK);
      try {
        // Writes the narrow usage table (decision 0013), and never waits on a lock: rows a
        // write holds right now (deleting tokens locks their usage rows, thousands at a time in
        // a bulk delete) are skipped and kept for the next flush. Waiting could deadlock against
        // such a write, whose locks are taken in a different order.
        const busy = await sql<{ id: string }>`
          with v as (
            select * from unnest(
              ${chunk.map(([id]) => id)}::text[],
              ${chunk.map(([, u]) => new Date(u.at).toISOString())}::timestamptz[],
              ${chunk.map(([, u]) => u.ip)}::text[],
              ${chunk.map(([, u]) => u.userAgent)}::text[]
            ) as v(id, at, ip, ua)
          ),
          locked as (
            select u.token_id from api_token_usage as u join v on v.id = u.token_id
            order by u.token_id for update of u skip locked
          ),
          updated as (
            update api_token_usage as u
            set last_used_at = v.at, last_used_ip = v.ip, last_used_user_agent = v.ua
            from v
            where u.token_id = v.id and u.token_id in (select token_id from locked)
              and (u.last_used_at is null or u.last_used_at < v.at)
          )
          select u.token_id as id from api_token_usage as u join v on v.id = u.token_id
          where u.token_id not in (select token_id from locked)
        `.execute(this.db);
        if (busy.rows.length > 0) {
          const uses = new Map(chunk);
          for (const { id } of busy.rows) {
            const use = uses.get(id);
            if (use && !this.pending.has(id)) this.pending.set(id, use);
          }
        }
      } catch (error) {
        this.logger.warn(
          { err: error, tokens: chunk.length },
          "could not record token last-used times",
        );
        // Keep them for the next attempt unless a newer use arrived meanwhile.
        for (const [id, use] of chunk) if (!this.pending.has(id)) this.pending.set(id, use);
      }
    }
  }
}
