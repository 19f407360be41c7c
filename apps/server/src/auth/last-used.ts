import { type DB, sql } from "@keyward/db/kysely";
import { trimOldest } from "../lib/bounded-map.ts";
import type { Logger } from "../lib/logger.ts";

interface Use {
  /** Epoch milliseconds: a Date per request would be an allocation for nothing. */
  at: number;
  ip: string;
  userAgent: string | null;
}

const CHUNK = 5000;
/**
 * A use like the token's latest known one (same address and browser) within this long is not
 * written again: last use is kept to the minute, so a token in constant use costs a write a
 * minute instead of one a flush. A new address or browser is written at the next flush.
 */
export const REPEAT_USE_INTERVAL_MS = 60_000;
/** Tokens whose latest written use is remembered for that comparison. */
const WRITTEN_MAX = 100_000;
/** How long a flush waits on a row another write holds before it takes the careful path. */
const LOCK_TIMEOUT = "50ms";
/** SQLSTATE lock_not_available: what lock_timeout raises. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * Remembers when each token was last used, and writes it in one set-based UPDATE every few
 * seconds instead of on every request: a request never waits on a write. Only the latest use per
 * token is kept, and a repeat of it within a minute is not kept at all. A crash loses at most one
 * interval of "last used", which is advisory data.
 */
export class LastUsedRecorder {
  private pending = new Map<string, Use>();
  /** The latest use this process wrote per token, oldest write first. */
  private written = new Map<string, Use>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DB,
    private readonly logger: Logger,
    private readonly intervalMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  record(tokenId: string, ip: string, userAgent: string | null): void {
    const at = this.now();
    const latest = this.pending.get(tokenId) ?? this.written.get(tokenId);
    if (
      latest !== undefined &&
      at - latest.at < REPEAT_USE_INTERVAL_MS &&
      latest.ip === ip &&
      latest.userAgent === userAgent
    )
      return;
    this.pending.set(tokenId, { at, ip, userAgent });
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
        const busy = new Set(await this.writeChunk(chunk));
        for (const [id, use] of chunk) {
          if (busy.has(id)) {
            // Kept for the next flush unless a newer use arrived meanwhile.
            if (!this.pending.has(id)) this.pending.set(id, use);
          } else {
            // Moved to the end, so the oldest writes are the ones forgotten first.
            this.written.delete(id);
            this.written.set(id, use);
          }
        }
        trimOldest(this.written, WRITTEN_MAX);
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

  /**
   * Writes one chunk to the narrow usage table (decision 0013) and answers the ids it skipped
   * because another write holds their rows (deleting tokens locks their usage rows, thousands
   * at a time in a bulk delete). It never waits on such a write for long: waiting could deadlock
   * against it, since its locks are taken in a different order.
   */
  private async writeChunk(chunk: [string, Use][]): Promise<string[]> {
    const values = sql`select * from unnest(
      ${chunk.map(([id]) => id)}::text[],
      ${chunk.map(([, u]) => new Date(u.at).toISOString())}::timestamptz[],
      ${chunk.map(([, u]) => u.ip)}::text[],
      ${chunk.map(([, u]) => u.userAgent)}::text[]
    ) as v(id, at, ip, ua)`;
    // Nearly always nothing holds these rows: a plain UPDATE changes each row once. Locking the
    // rows first (below) changed each twice and doubled the database's cost per cold token. A
    // held row makes the plain UPDATE give up after LOCK_TIMEOUT, far below PostgreSQL's
    // deadlock_timeout (1 s by default), so a deadlock ends with this flush backing off, never
    // with the other write aborted.
    try {
      await this.db.transaction().execute(async (trx) => {
        await sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`).execute(trx);
        await sql`
          update api_token_usage as u
          set last_used_at = v.at, last_used_ip = v.ip, last_used_user_agent = v.ua
          from (${values}) as v
          where u.token_id = v.id and (u.last_used_at is null or u.last_used_at < v.at)
        `.execute(trx);
      });
      return [];
    } catch (error) {
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
    }
    // Some row is held: write the others, locking them in id order and skipping held ones.
    const busy = await sql<{ id: string }>`
      with v as (${values}),
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
    return busy.rows.map((row) => row.id);
  }
}
