// Unit tests: the secret format, scope and allow-list matching, and the verification cache.
import {
  allowListPermits,
  allowListWithin,
  isKnownScope,
  scopeSetWithin,
  scopesCover,
} from "@keyward/contracts/scopes";
import { describe, expect, it } from "vitest";
import { roleAllowsScope } from "../src/auth/authorize.ts";
import { bearerSecretOf } from "../src/auth/token-auth.ts";
import { TokenCache, type TokenRecord } from "../src/auth/token-cache.ts";
import {
  base62Checksum,
  digestsEqual,
  generateTokenSecret,
  hashTokenSecret,
  parseTokenSecret,
  secretMatches,
  verifiedSecretDigest,
} from "../src/lib/token-secret.ts";

describe("token secrets", () => {
  const id = "tok_0123456789abcDEF";

  it("have the kw_ prefix, the public id, 256 random bits and a checksum", () => {
    const secret = generateTokenSecret(id);
    expect(secret).toMatch(/^kw_0123456789abcDEF_[0-9A-Za-z]{43}[0-9A-Za-z]{6}$/);
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256);
    expect(secret.slice(-6)).toBe(base62Checksum(secret.slice(0, -6)));
    expect(parseTokenSecret(secret)).toEqual({ tokenId: id, secret });
    expect(generateTokenSecret(id)).not.toBe(secret);
  });

  it("refuse every single-character typo through the checksum", () => {
    const secret = generateTokenSecret(id);
    let caught = 0;
    for (let i = 3; i < secret.length; i++) {
      if (secret[i] === "_") continue;
      const typo = `${secret.slice(0, i)}${secret[i] === "x" ? "y" : "x"}${secret.slice(i + 1)}`;
      if (parseTokenSecret(typo) === null) caught++;
      else throw new Error(`typo at ${i} passed the checksum`);
    }
    expect(caught).toBeGreaterThan(60);
  });

  it("refuse wrong shapes", () => {
    const secret = generateTokenSecret(id);
    for (const bad of [
      "",
      "kw_",
      secret.toUpperCase(),
      secret.slice(1),
      `${secret}0`,
      secret.replace("_", "-"),
      ` ${secret}`,
    ]) {
      expect(parseTokenSecret(bad), bad).toBeNull();
    }
    expect(() => generateTokenSecret("usr_0123456789abcDEF")).toThrow();
  });

  it("refuse characters outside base62 even under a matching checksum", () => {
    const secret = generateTokenSecret(id);
    // Same length, one character swapped for a non-base62 one, checksum recomputed to match.
    for (const odd of ["-", "é", "\u0000", "_", "😀".charAt(0)]) {
      const body = `${secret.slice(0, 30)}${odd}${secret.slice(31, -6)}`;
      const forged = body + base62Checksum(body);
      expect(forged).toHaveLength(secret.length);
      expect(parseTokenSecret(forged), JSON.stringify(odd)).toBeNull();
    }
  });

  it("are read from an Authorization header in any of the forms RFC 6750 allows, and only those", () => {
    const secret = generateTokenSecret(id);
    const parsed = { tokenId: id, secret };
    expect(parseTokenSecret(`Bearer ${secret}`, "Bearer ".length)).toEqual(parsed);
    for (const header of [
      `Bearer ${secret}`,
      `bearer ${secret}`,
      `BEARER   ${secret}`,
      `Bearer ${secret}  `,
    ]) {
      expect(bearerSecretOf(header), header).toEqual(parsed);
    }
    const typo = `${secret.slice(0, 40)}${secret[40] === "x" ? "y" : "x"}${secret.slice(41)}`;
    for (const header of [
      `Bearer ${typo}`,
      `Bearer ${secret} extra`,
      `Bearer ${secret.slice(0, -1)}`,
      `Bearer${secret}`,
      `Basic ${secret}`,
      `Bearer  kw_${secret.slice(3).toUpperCase()}`,
      secret,
    ]) {
      expect(bearerSecretOf(header), header).toBeNull();
    }
  });

  it("compare cache digests in full: equal only when every character is", () => {
    const secret = generateTokenSecret(id);
    const digest = verifiedSecretDigest(secret);
    expect(digestsEqual(digest, verifiedSecretDigest(secret))).toBe(true);
    expect(digestsEqual(digest, verifiedSecretDigest(generateTokenSecret(id)))).toBe(false);
    const lastFlipped = digest.slice(0, -1) + (digest.endsWith("A") ? "B" : "A");
    expect(digestsEqual(digest, lastFlipped)).toBe(false);
    expect(digestsEqual(digest, digest.slice(0, -1))).toBe(false);
    expect(digestsEqual(digest, "")).toBe(false);
  });

  it("are stored as a keyed hash and compared in constant time", () => {
    const secret = generateTokenSecret(id);
    const key = Buffer.from("k".repeat(32));
    const hash = hashTokenSecret(key, secret);
    expect(hash).toHaveLength(32);
    expect(hashTokenSecret(Buffer.from("other-key".repeat(4)), secret).equals(hash)).toBe(false);
    expect(secretMatches(key, secret, hash)).toBe(true);
    expect(secretMatches(key, generateTokenSecret(id), hash)).toBe(false);
    expect(secretMatches(key, secret, Buffer.alloc(3))).toBe(false);
  });
});

describe("scopes", () => {
  it("know the catalog", () => {
    for (const s of ["all", "token:read", "token:*", "audit:read", "settings:update"])
      expect(isKnownScope(s), s).toBe(true);
    for (const s of ["", "token", "token:fly", "audit:delete", "planet:*", "token:read:x", "*"])
      expect(isKnownScope(s), s).toBe(false);
  });

  it("cover a required scope by all, resource:* or the exact scope", () => {
    expect(scopesCover(["all"], "user:update")).toBe(true);
    expect(scopesCover(["token:*"], "token:delete")).toBe(true);
    expect(scopesCover(["token:read"], "token:read")).toBe(true);
    expect(scopesCover(["token:read"], "token:update")).toBe(false);
    expect(scopesCover(["user:*"], "token:read")).toBe(false);
    expect(scopesCover([], "token:read")).toBe(false);
  });

  it("never let a narrower set mint a broader one", () => {
    expect(scopeSetWithin(["all"], ["all"])).toBe(true);
    expect(scopeSetWithin(["token:read", "user:*"], ["all"])).toBe(true);
    expect(scopeSetWithin(["token:read"], ["token:*"])).toBe(true);
    expect(scopeSetWithin(["token:*"], ["token:*"])).toBe(true);
    expect(scopeSetWithin(["all"], ["token:*"])).toBe(false);
    expect(
      scopeSetWithin(["token:*"], ["token:read", "token:create", "token:update", "token:delete"]),
    ).toBe(false);
    expect(scopeSetWithin(["token:read", "user:read"], ["token:*"])).toBe(false);
  });

  it("apply allow lists exclusively, and keep minted allow lists inside the caller's", () => {
    expect(allowListPermits([], "token", "tok_1")).toBe(true);
    expect(allowListPermits(["token:tok_1"], "token", "tok_1")).toBe(true);
    expect(allowListPermits(["token:tok_1"], "token", "tok_2")).toBe(false);
    expect(allowListPermits(["token:*"], "user", "usr_1")).toBe(false);
    expect(allowListPermits(["user:*"], "user", "usr_1")).toBe(true);
    expect(allowListWithin([], [])).toBe(true);
    expect(allowListWithin([], ["token:*"])).toBe(false);
    expect(allowListWithin(["token:tok_1"], ["token:*"])).toBe(true);
    expect(allowListWithin(["token:*"], ["token:tok_1"])).toBe(false);
    expect(allowListWithin(["user:*"], ["token:*"])).toBe(false);
  });

  it("mean nothing beyond the owner's role", () => {
    expect(roleAllowsScope(["tokens.own.manage"], "token:delete")).toBe(true);
    expect(roleAllowsScope(["tokens.all.read"], "token:read")).toBe(true);
    expect(roleAllowsScope(["tokens.all.read"], "token:update")).toBe(false);
    expect(roleAllowsScope([], "audit:read")).toBe(false);
    expect(roleAllowsScope([], "settings:read")).toBe(true);
  });
});

describe("TokenCache", () => {
  const record = (id: string, userId = "usr_1"): TokenRecord => ({
    id,
    userId,
    hash: Buffer.alloc(32),
    status: "enabled",
    expiresAt: null,
    scopes: ["all"],
    allow: [],
    owner: {
      username: "u",
      displayName: "U",
      email: null,
      status: "active",
      role: { id: "rol_member", name: "Member", permissions: [] },
    },
  });

  it("drops tokens, a user's tokens, or everything", () => {
    const cache = new TokenCache();
    for (const [id, user] of [
      ["tok_a", "usr_1"],
      ["tok_b", "usr_1"],
      ["tok_c", "usr_2"],
    ] as const)
      cache.set(record(id, user), cache.snapshot());
    cache.invalidateTokens(["tok_a"]);
    expect([cache.get("tok_a"), cache.get("tok_b")?.id]).toEqual([undefined, "tok_b"]);
    cache.invalidateUser("usr_1");
    expect([cache.get("tok_b"), cache.get("tok_c")?.id]).toEqual([undefined, "tok_c"]);
    cache.invalidateAll();
    expect(cache.size).toBe(0);
  });

  it("does not keep a read that raced with an invalidation", () => {
    const cache = new TokenCache();
    const before = cache.snapshot();
    cache.invalidateTokens(["tok_a"]); // a change committed while the database read was in flight
    cache.set(record("tok_a"), before);
    expect(cache.get("tok_a")).toBeUndefined();
  });

  it("evicts the oldest entries first once full, keeping the newest", () => {
    const cache = new TokenCache({ maxEntries: 1000 });
    const ids = Array.from({ length: 5000 }, (_, i) => `tok_${i}`);
    for (const id of ids) {
      cache.set(record(id), cache.snapshot());
      expect(cache.size).toBeLessThanOrEqual(1000);
    }
    expect(cache.size).toBeGreaterThanOrEqual(900);
    // Whatever was evicted was older than everything kept.
    const kept = ids.map((id) => cache.get(id) !== undefined);
    const firstKept = kept.indexOf(true);
    expect(kept.slice(firstKept).every(Boolean)).toBe(true);
    expect(ids.length - firstKept).toBe(cache.size);
    // Every kept entry is still indexed by its owner.
    cache.invalidateUser("usr_1");
    expect(cache.size).toBe(0);
  });

  it("expires entries after the TTL, bounds its size, and caches nothing while switched off", () => {
    let now = 0;
    const cache = new TokenCache({ ttlMs: 1000, maxEntries: 2 }, () => now);
    cache.set(record("tok_a"), cache.snapshot());
    now = 1001;
    expect(cache.get("tok_a")).toBeUndefined();
    for (const id of ["tok_a", "tok_b", "tok_c"]) cache.set(record(id), cache.snapshot());
    // Over the bound of 2, the oldest tenth (rounded up: one) beyond it goes too.
    expect(cache.size).toBe(1);
    expect([cache.get("tok_a"), cache.get("tok_c")?.id]).toEqual([undefined, "tok_c"]);
    cache.setEnabled(false);
    expect(cache.size).toBe(0);
    cache.set(record("tok_d"), cache.snapshot());
    expect(cache.get("tok_d")).toBeUndefined();
  });
});
