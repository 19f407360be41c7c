// API token secrets: `kw_<16 id chars>_<43 random chars><6 checksum chars>`, all base62.
//
// - `kw_` lets secret scanners (and people) recognise a leaked Keyward token.
// - The 16 id characters are the token's public id (`tok_<same 16>`), so verification is one
//   primary-key probe (or cache hit) instead of a search by hash.
// - 43 base62 characters carry 256 bits of randomness.
// - The checksum is CRC32 of everything before it, in 6 base62 characters, so a mistyped or
//   truncated token is refused before any cache or database work (as GitHub's ghp_ tokens do).
// Only HMAC-SHA256(server secret, whole secret) is stored; see docs/decisions/0006.
import { createHmac, hash, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";
import { BASE62_ALPHABET, randomBase62 } from "./ids.ts";

export const TOKEN_PREFIX = "kw_";
const ID_LENGTH = 16;
const RANDOM_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const secretPattern = /^kw_([0-9A-Za-z]{16})_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

/** CRC32 of the text, as exactly six base62 characters (62^6 > 2^32). */
export function base62Checksum(text: string): string {
  let value = crc32(text);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62_ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export interface ParsedSecret {
  /** Public token id, `tok_…`. */
  tokenId: string;
  secret: string;
}

/** Builds a secret for a token id (`tok_…`); regenerating keeps the id and draws new randomness. */
export function generateTokenSecret(tokenId: string): string {
  const idPart = tokenId.slice(4);
  if (!tokenId.startsWith("tok_") || idPart.length !== ID_LENGTH) {
    throw new Error(`Not a token id: ${tokenId}`);
  }
  const body = `${TOKEN_PREFIX}${idPart}_${randomBase62(RANDOM_LENGTH)}`;
  return body + base62Checksum(body);
}

/**
 * The token id inside a well-formed secret, or null when the text is not one of ours (wrong
 * shape or checksum). Pure computation: callers use it to refuse garbage without any I/O.
 */
export function parseTokenSecret(text: string): ParsedSecret | null {
  if (text.length !== TOKEN_PREFIX.length + ID_LENGTH + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH) {
    return null;
  }
  const match = secretPattern.exec(text);
  if (!match) return null;
  const body = text.slice(0, text.length - CHECKSUM_LENGTH);
  if (base62Checksum(body) !== match[3]) return null;
  return { tokenId: `tok_${match[1]}`, secret: text };
}

/** The keyed hash stored for a secret. A stolen database alone cannot check guesses. */
export function hashTokenSecret(serverSecret: Buffer, secret: string): Buffer {
  return createHmac("sha256", serverSecret).update(secret).digest();
}

/** Constant-time comparison of two hashes (false, not an exception, when lengths differ). */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(serverSecret: Buffer, secret: string, storedHash: Buffer): boolean {
  return hashesEqual(hashTokenSecret(serverSecret, secret), storedHash);
}

/**
 * Plain SHA-256 of a secret that has already matched its keyed hash, for the verification
 * cache's fast comparison (docs/decisions/0007). Never stored, never sent.
 */
export function verifiedSecretDigest(secret: string): Buffer {
  return hash("sha256", secret, "buffer") as Buffer;
}
