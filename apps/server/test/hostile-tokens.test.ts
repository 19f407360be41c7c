// Random token strings and mutated real tokens never verify (issue #7, part 4): not through
// POST /api/v1/tokens/verify, not as `Authorization: Bearer`. Mutations that keep the shape and
// fix up the checksum get past the cheap refusal and reach the database and the keyed-hash
// comparison, so those paths are exercised too.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE62_ALPHABET } from "../src/lib/ids.ts";
import { base62Checksum, parseTokenSecret } from "../src/lib/token-secret.ts";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";
import { hostileString } from "./hostile-arbitraries.ts";

const RUNS = Number(process.env.HOSTILE_RUNS ?? 40) * 4;

let t: TestApp;
/** Real, working secrets of three tokens with different owners. */
let secrets: string[];
let ip = 0;

beforeAll(async () => {
  t = await createTestApp();
  secrets = [];
  for (const role of ["owner", "member", "member"]) {
    const caller = await t.login(await t.createUser(role));
    secrets.push((await t.createToken(caller)).secret);
  }
});
afterAll(() => t.close());

/** A fresh client address, so the bad-token limiter (tested in abuse.test.ts) stays out of it. */
const address = () => `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`;

async function verify(token: string) {
  const res = await t.request("/api/v1/tokens/verify", {
    method: "POST",
    body: { token },
    headers: { "x-forwarded-for": address() },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function bearer(token: string) {
  const res = await t.request("/api/v1/me", {
    headers: { authorization: `Bearer ${token}`, "x-forwarded-for": address() },
  });
  return { status: res.status, code: res.status === 200 ? undefined : await errorCode(res) };
}

/** What a header may carry (the Fetch API refuses control characters and non-Latin-1). */
const headerSafe = (s: string) => /^[\x21-\x7e]+$/.test(s);

/** Refused the way an unknown or malformed token must be, and never as a good one. */
async function expectRefused(candidate: string) {
  const label = JSON.stringify(candidate).slice(0, 160);
  const v = await verify(candidate);
  if (candidate.length > 512) {
    // Over the field's limit (400), or over the request body limit (413) when huge.
    expect([400, 413], label).toContain(v.status);
  } else {
    expect(v.status, label).toBe(200);
    expect(v.body.valid, label).toBe(false);
    expect(["malformed", "unknown"], label).toContain(v.body.reason);
    // Nothing about a token that does not verify: no owner, no scopes.
    expect(v.body, label).not.toHaveProperty("userId");
    expect(v.body, label).not.toHaveProperty("scopes");
  }
  if (headerSafe(candidate)) {
    const b = await bearer(candidate);
    expect(b.status, label).toBe(401);
    // `Bearer kws_…` is a command-line session token: an unknown one is "not signed in".
    expect(b.code, label).toBe(candidate.startsWith("kws_") ? "unauthenticated" : "invalid_token");
  }
}

const base62 = fc.constantFrom(...BASE62_ALPHABET);
const base62String = (length: number) =>
  fc.array(base62, { minLength: length, maxLength: length }).map((a) => a.join(""));

/** Shape and checksum right, so only the database and the keyed hash can refuse it. */
function withChecksum(body: string): string {
  return body + base62Checksum(body);
}

const wellFormedRandom = fc
  .tuple(base62String(16), base62String(43))
  .map(([id, random]) => withChecksum(`kw_${id}_${random}`));

type Mutation = (secret: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // One character replaced, anywhere (prefix, id, separator, random part, checksum).
  fc.tuple(fc.nat(), fc.constantFrom(...`${BASE62_ALPHABET}_-+/=. \u0000é`)).map(
    ([at, ch]): Mutation =>
      (s) => {
        const i = at % s.length;
        return s.slice(0, i) + ch + s.slice(i + 1);
      },
  ),
  // Letter case flipped at one place.
  fc.nat().map(
    (at): Mutation =>
      (s) => {
        const i = at % s.length;
        const c = s.charAt(i);
        const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
        return s.slice(0, i) + flipped + s.slice(i + 1);
      },
  ),
  // Truncated, extended, characters swapped or duplicated.
  fc.nat().map(
    (at): Mutation =>
      (s) =>
        s.slice(0, at % s.length),
  ),
  fc.string({ minLength: 1, maxLength: 4 }).map(
    (tail): Mutation =>
      (s) =>
        s + tail,
  ),
  fc.nat().map(
    (at): Mutation =>
      (s) => {
        const i = at % (s.length - 1);
        return s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
      },
  ),
  fc.constantFrom<Mutation>(
    (s) => ` ${s}`,
    (s) => `${s} `,
    (s) => s.toUpperCase(),
    (s) => s.replace("kw_", "KW_"),
    (s) => s.replace("kw_", "kws_"),
    (s) => `Bearer ${s}`,
  ),
  // The random part changed and the checksum fixed up: passes the shape check, reaches the
  // record of a real token, and must fail the keyed-hash comparison.
  fc.tuple(fc.nat(), base62).map(
    ([at, ch]): Mutation =>
      (s) => {
        const body = s.slice(0, -6);
        const i = 20 + (at % 43);
        return withChecksum(body.slice(0, i) + ch + body.slice(i + 1));
      },
  ),
  // The id changed and the checksum fixed up: an unknown id with a real token's secret part.
  fc.tuple(fc.nat(), base62).map(
    ([at, ch]): Mutation =>
      (s) => {
        const body = s.slice(0, -6);
        const i = 3 + (at % 16);
        return withChecksum(body.slice(0, i) + ch + body.slice(i + 1));
      },
  ),
);

describe("token strings that are not a token", () => {
  it("random text, kw_-prefixed text and well-formed random tokens never verify", async () => {
    const candidate = fc.oneof(
      hostileString,
      fc.string({ maxLength: 80 }).map((s) => `kw_${s}`),
      base62String(66).map((s) => `kw_${s.slice(0, 16)}_${s.slice(16)}`),
      wellFormedRandom,
    );
    await fc.assert(fc.asyncProperty(candidate, expectRefused), { numRuns: RUNS });
  });

  it("a well-formed random token reaches the database and is refused as unknown", async () => {
    await fc.assert(
      fc.asyncProperty(wellFormedRandom, async (candidate) => {
        expect(parseTokenSecret(candidate)).not.toBeNull();
        expect((await verify(candidate)).body).toEqual({ valid: false, reason: "unknown" });
      }),
      { numRuns: Math.round(RUNS / 4) },
    );
  });

  it("a real token mutated in any way never verifies, while the real one still does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: secrets.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (which, mutations) => {
          const real = secrets[which] as string;
          const mutated = mutations.reduce((s, m) => m(s), real);
          fc.pre(mutated !== real);
          await expectRefused(mutated);
        },
      ),
      { numRuns: RUNS },
    );
    // The property above could pass by refusing everything: the real secrets still work.
    for (const secret of secrets) {
      expect((await verify(secret)).body.valid).toBe(true);
      expect((await bearer(secret)).status).toBe(200);
    }
  });

  it("one token's id with another token's secret part never verifies", async () => {
    const [a, b] = secrets as [string, string];
    const spliced = withChecksum(`${a.slice(0, 20)}${b.slice(20, 63)}`);
    expect(parseTokenSecret(spliced)?.tokenId).toBe(parseTokenSecret(a)?.tokenId);
    expect((await verify(spliced)).body).toEqual({ valid: false, reason: "unknown" });
    expect((await bearer(spliced)).status).toBe(401);
  });
});
