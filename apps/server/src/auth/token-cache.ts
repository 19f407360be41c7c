import type { Permission } from "@keyward/contracts/permissions";
import type { ApiTokenStatus, UserStatus } from "@keyward/db/types";
import { trimOldest } from "../lib/bounded-map.ts";

/** What verifying a token needs: the token, its hash, and its owner's status and role. */
export interface TokenRecord {
  id: string;
  userId: string;
  hash: Buffer;
  /** SHA-256 of a secret that matched `hash`, set on first use (see token-auth.ts). */
  verifiedDigest?: string;
  status: ApiTokenStatus;
  expiresAt: Date | null;
  scopes: string[];
  allow: string[];
  owner: {
    username: string;
    displayName: string;
    email: string | null;
    status: UserStatus;
    role: { id: string; name: string; permissions: Permission[] };
  };
}

interface Entry {
  record: TokenRecord;
  cachedAt: number;
}

/**
 * In-process cache of token records, so a warm token-authenticated request costs no database
 * round trip. Correctness rests on explicit invalidation (docs/decisions/0007): every verb that
 * changes a token, its owner or a role invalidates here after commit and publishes to the other
 * processes. Expiry is checked on every use against the cached `expiresAt`, so it needs no
 * invalidation. The TTL is only a safety net for changes made outside the application.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  private generation = 0;
  private enabled: boolean;

  constructor(
    private readonly options: { maxEntries?: number; ttlMs?: number; enabled?: boolean } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = options.enabled ?? true;
  }

  get size(): number {
    return this.entries.size;
  }

  get(tokenId: string): TokenRecord | undefined {
    const entry = this.entries.get(tokenId);
    if (!entry) return undefined;
    if (this.now() - entry.cachedAt > (this.options.ttlMs ?? 60_000)) {
      this.remove(tokenId);
      return undefined;
    }
    return entry.record;
  }

  /**
   * Take this before reading a record from the database and hand it to set(): if anything was
   * invalidated in between, the read may predate the change, and it is not cached.
   */
  snapshot(): number {
    return this.generation;
  }

  set(record: TokenRecord, generation: number): void {
    if (!this.enabled || generation !== this.generation) return;
    const cached = this.entries.get(record.id);
    if (cached && cached.record.userId === record.userId) {
      // Replaced in place (a token's owner never changes): deleting and re-adding one key over
      // and over lengthens its hash chain with deleted slots until the map rehashes.
      this.entries.set(record.id, { record, cachedAt: this.now() });
      return;
    }
    this.remove(record.id);
    this.entries.set(record.id, { record, cachedAt: this.now() });
    let ids = this.byUser.get(record.userId);
    if (!ids) {
      ids = new Set();
      this.byUser.set(record.userId, ids);
    }
    ids.add(record.id);
    trimOldest(this.entries, this.options.maxEntries ?? 100_000, (id) => this.remove(id));
  }

  invalidateTokens(tokenIds: Iterable<string>): void {
    this.generation++;
    for (const id of tokenIds) this.remove(id);
  }

  /** A user's status or role changed: drop every token they own. */
  invalidateUser(userId: string): void {
    this.generation++;
    for (const id of [...(this.byUser.get(userId) ?? [])]) this.remove(id);
  }

  /** A role's permissions changed, or invalidations may have been missed. */
  invalidateAll(): void {
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  /** Off while other processes' invalidations cannot reach us (LISTEN connection down). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.invalidateAll();
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  private remove(tokenId: string): void {
    const entry = this.entries.get(tokenId);
    if (!entry) return;
    this.entries.delete(tokenId);
    const ids = this.byUser.get(entry.record.userId);
    ids?.delete(tokenId);
    if (ids?.size === 0) this.byUser.delete(entry.record.userId);
  }
}
