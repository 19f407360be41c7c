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

/** Base62 digit values by character code; -1 for anything else. */
const BASE62_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62_ALPHABET.length; i++) BASE62_DIGIT[BASE62_ALPHABET.charCodeAt(i)] = i;
/** Every secret's length: prefix, id, `_`, randomness and checksum. */
export const TOKEN_SECRET_LENGTH =
  TOKEN_PREFIX.length + ID_LENGTH + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH;
const ID_END = TOKEN_PREFIX.length + ID_LENGTH;
const BODY_LENGTH = TOKEN_SECRET_LENGTH - CHECKSUM_LENGTH;

/** CRC-32 (IEEE, as zlib computes it) by byte, so parsing needs no native call per request. */
const CRC32_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC32_TABLE[n] = c;
}

/**
 * The token id inside a well-formed secret, or null when the text is not one of ours (wrong
 * shape or checksum). Pure computation: callers use it to refuse garbage without any I/O. It runs
 * on every token request, so it walks the characters once, checking them and computing their
 * CRC-32 in the same pass (every character is ASCII by then, so char codes are the UTF-8 bytes
 * zlib's crc32 sums when the secret is made), and reads the secret from `start` without copying
 * it out of a header first.
 */
export function parseTokenSecret(text: string, start = 0): ParsedSecret | null {
  if (
    text.length - start !== TOKEN_SECRET_LENGTH ||
    !text.startsWith(TOKEN_PREFIX, start) ||
    text.charCodeAt(start + ID_END) !== 0x5f /* _ */
  ) {
    return null;
  }
  let crc = -1;
  for (let i = 0; i < BODY_LENGTH; i++) {
    const code = text.charCodeAt(start + i);
    if (i >= TOKEN_PREFIX.length && i !== ID_END && (BASE62_DIGIT[code] ?? -1) < 0) return null;
    crc = (CRC32_TABLE[(crc ^ code) & 0xff] as number) ^ (crc >>> 8);
  }
  let checksum = 0;
  for (let i = BODY_LENGTH; i < TOKEN_SECRET_LENGTH; i++) {
    const digit = BASE62_DIGIT[text.charCodeAt(start + i)] ?? -1;
    if (digit < 0) return null;
    checksum = checksum * 62 + digit;
  }
  if (~crc >>> 0 !== checksum) return null;
  return {
    tokenId: `tok_${text.slice(start + TOKEN_PREFIX.length, start + ID_END)}`,
    secret: start === 0 ? text : text.slice(start),
  };
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
 * cache's fast comparison (docs/decisions/0007). Never stored, never sent. Text, not a Buffer:
 * a Buffer per request cost three times the hashing itself.
 */
export function verifiedSecretDigest(secret: string): string {
  return hash("sha256", secret, "base64");
}

/** Constant-time comparison of two digests from verifiedSecretDigest (no early exit). */
export function digestsEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
