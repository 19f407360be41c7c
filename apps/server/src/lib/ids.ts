import { randomBytes } from "node:crypto";

export const BASE62_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Random base62 text; 22 characters carry about 131 bits. */
export function randomBase62(length: number): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62_ALPHABET[byte % 62];
    }
  }
  return out;
}

/** A readable, prefixed identifier: `usr_4f9Kq…`. */
export function newId(prefix: "usr" | "rol" | "ses" | "tok"): string {
  return `${prefix}_${randomBase62(16)}`;
}
