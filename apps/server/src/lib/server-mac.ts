// Values the server signs with its key and later gets back from a client (CSRF tokens, session
// and device cookies): HMAC-SHA256 over the purpose and the value, so a MAC made for one purpose
// never passes for another, compared in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

export function serverMac(serverSecret: Buffer, purpose: string, value: string): string {
  return createHmac("sha256", serverSecret).update(`${purpose}:${value}`).digest("base64url");
}

export function serverMacMatches(
  serverSecret: Buffer,
  purpose: string,
  value: string,
  presented: string | undefined,
): boolean {
  if (!presented) return false;
  const expected = Buffer.from(serverMac(serverSecret, purpose, value));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * `<value>.<mac>` for a value with no dot in it (the caller's random base64url or base62 text),
 * and back: the value when the MAC is the server's, else undefined.
 */
export function signedText(serverSecret: Buffer, purpose: string, value: string): string {
  return `${value}.${serverMac(serverSecret, purpose, value)}`;
}

export function unsignedText(
  serverSecret: Buffer,
  purpose: string,
  signed: string | undefined,
): string | undefined {
  const dot = signed?.indexOf(".") ?? -1;
  if (!signed || dot < 1) return undefined;
  const value = signed.slice(0, dot);
  return serverMacMatches(serverSecret, purpose, value, signed.slice(dot + 1)) ? value : undefined;
}
