import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// scrypt with N=2^15, r=8: 32 MiB and roughly 50–100 ms per hash on this class of machine,
// the OWASP floor for scrypt. Parameters are stored with each hash so they can be raised later.
const N = 2 ** 15;
const r = 8;
const p = 1;
const keyLength = 32;
const maxmem = 64 * 1024 * 1024;

function derive(
  password: string,
  salt: Buffer,
  n: number,
  rr: number,
  pp: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      keyLength,
      { N: n, r: rr, p: pp, maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, expected] = stored.split("$");
  if (scheme !== "scrypt" || !n || !rr || !pp || !salt || !expected) return false;
  const key = await derive(
    password,
    Buffer.from(salt, "base64url"),
    Number(n),
    Number(rr),
    Number(pp),
  );
  const want = Buffer.from(expected, "base64url");
  return want.length === key.length && timingSafeEqual(key, want);
}

// Used when the username is unknown, so a wrong username costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("keyward-timing-equaliser");
  await verifyPassword(password, await dummyHash);
}

export interface PasswordRuleResult {
  ok: boolean;
  message: string;
}

export const passwordRule =
  "At least 12 characters, not all the same character, and not the username.";

/** The password policy stated once, used by sign-up, user creation and password changes. */
export function checkPasswordStrength(password: string, username?: string): PasswordRuleResult {
  if (password.length < 12) return { ok: false, message: `Password too short. ${passwordRule}` };
  if (password.length > 1024)
    return { ok: false, message: "Password too long (at most 1,024 characters)." };
  if (new Set(password).size < 4)
    return { ok: false, message: `Password too simple. ${passwordRule}` };
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return { ok: false, message: `Password must not contain the username. ${passwordRule}` };
  return { ok: true, message: "" };
}
