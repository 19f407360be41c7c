// Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies"
// (docs/decisions/0015). Failed sign-ins on a username slow every further attempt at that
// username, so anyone who knows an administrator's username could keep them locked out. A
// browser that has signed in as a user before carries a cookie naming that user, signed with the
// server key; there, attempts at that username count against the cookie alone, and failures from
// elsewhere do not hold it back.
import { randomBase62 } from "../lib/ids.ts";
import { signedText, unsignedText } from "../lib/server-mac.ts";

/** Sent only with sign-in requests. */
export const DEVICE_COOKIE_PATH = "/api/v1/auth/login";
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 3600;

const purposeFor = (username: string) => `device:${username.toLowerCase()}`;

/** A new device cookie value for a browser that has just signed in as this username. */
export function newDeviceCookie(serverSecret: Buffer, username: string): string {
  return signedText(serverSecret, purposeFor(username), randomBase62(22));
}

/**
 * The device's own id when the cookie was issued by this server to a browser that signed in as
 * this username (in any letter case), else undefined: then the browser is a stranger.
 */
export function trustedDeviceFor(
  serverSecret: Buffer,
  cookie: string | undefined,
  username: string,
): string | undefined {
  return unsignedText(serverSecret, purposeFor(username), cookie);
}
