// fast-check arbitraries for hostile request input, shared by the hostile-*.test.ts files.
import fc from "fast-check";

/** Text that has broken web apps before: injection, markup, escapes, odd unicode, NUL. */
export const nastyStrings = [
  "",
  " ",
  "\t\r\n",
  "\u0000",
  "a\u0000b",
  "\u0000".repeat(64),
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '"; DROP TABLE api_tokens; --',
  "1; select pg_sleep(10)",
  "%",
  "_",
  "\\",
  "abc\\",
  "%_\\%",
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  '"><svg onload=alert(1)>',
  "javascript:alert(1)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  "${7*7}{{7*7}}",
  "../../../../etc/passwd",
  "%00",
  "%2e%2e%2f",
  "\u202eevil\u202c",
  "\u200b\u200c\u200d\ufeff",
  "\ud800",
  "\udfff\ud800",
  "🔑".repeat(40),
  "𝕜𝕖𝕪𝕨𝕒𝕣𝕕",
  "Ｋｅｙｗａｒｄ",
  "e\u0301\u0301\u0301",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "0x7fffffffffffffff",
  "9223372036854775808",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00+14:00",
  "9999-12-31T23:59:59-14:00",
  "2024-02-30T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "infinity",
  "-infinity",
  "within:99999",
  "within:-1",
  "99999999999999999999w",
  "tok_",
  "kw_",
  "kws_",
  "rol_owner",
] as const;

/** Strings of every kind: nasty constants, random unicode (lone surrogates too), huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(65, 129, 1025, 20_000, 200_000),
        fc.constantFrom("x", "é", "🔑", "\u0000", "<"),
      )
      .map(([n, ch]) => ch.repeat(n)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...nastyStrings),
        fc.string({ maxLength: 10 }),
        fc.constantFrom(...nastyStrings),
      )
      .map((parts) => parts.join("")),
  },
);

/** Any JSON value with a hostile bias: wrong types, huge arrays, nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(257, 10_001, 60_000),
        fc.constantFrom("x", "token:read", "$TOKEN", "\u0000"),
      )
      .map(([n, item]) => Array(n).fill(item)),
  },
);

/**
 * Free text that passes a length check of `max` and is not blank, but is as nasty as it gets:
 * SQL and HTML injection, LIKE wildcards, odd unicode. This is what reaches queries and pages.
 */
export function text(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...nastyStrings) },
      { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: max }) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: max }) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...nastyStrings), fc.constantFrom(...nastyStrings))
          .map(([a, b]) => `x${a}${b}`),
      },
    )
    .map((s) => s.slice(0, max))
    .filter((s) => s.trim().length > 0 && !s.includes("\u0000"));
}

/** A cursor as a client could forge it: the server's shapes with hostile values inside. */
export function forgedCursor(shapes: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: shapes.map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
    },
    { weight: 1, arbitrary: hostileString.filter((s) => s.length <= 1024) },
  );
}

/** Any value from a catalogue, or (less often) a hostile one: where the real thing is a list. */
export function oneOf<T>(...values: T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values);
}

export type FieldSpec = Record<string, fc.Arbitrary<unknown>>;

/**
 * An object over the given fields (any subset): each value usually valid-ish for its field (so
 * most checks pass and the nasty part reaches deep code), sometimes hostile of any type; now
 * and then with extra keys (`__proto__` too).
 */
export function hostileObject(fields: FieldSpec): fc.Arbitrary<Record<string, unknown>> {
  const known = fc.record(
    Object.fromEntries(
      Object.entries(fields).map(([name, valid]) => [
        name,
        fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileValue }),
      ]),
    ),
    { requiredKeys: [] },
  );
  const extra = fc.dictionary(
    fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor")),
    hostileValue,
    { maxKeys: 2 },
  );
  return fc.oneof(
    { weight: 5, arbitrary: known },
    { weight: 1, arbitrary: fc.tuple(known, extra).map(([a, b]) => ({ ...b, ...a })) },
  );
}

/** A request body as sent on the wire: JSON of an object, any JSON, or not JSON at all. */
export function hostileBody(fields: FieldSpec): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: hostileObject(fields).map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ unit: "binary", maxLength: 60 }),
        fc.constantFrom(
          "",
          "{",
          "{'a':1}",
          '{"a":1,}',
          "[".repeat(50_000) + "]".repeat(50_000),
          `{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
          '{"name":"\\ud800"}',
          '{"name":"a\\u0000"}',
          '{"__proto__":{"admin":true},"name":"x"}',
        ),
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A query string over the given parameters: each absent, once (usually valid-ish), or repeated. */
export function hostileQuery(fields: FieldSpec): fc.Arbitrary<string> {
  const entries = Object.entries(fields).map(([name, valid]) => {
    const one = fc.oneof(
      { weight: 5, arbitrary: valid.map(String) },
      { weight: 1, arbitrary: hostileString.filter((s) => s.length <= 2_000) },
    );
    return [
      name,
      fc.oneof(
        { weight: 5, arbitrary: one.map((v) => [v]) },
        { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) },
      ),
    ] as const;
  });
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] }).map((record) => {
    const search = new URLSearchParams();
    for (const [key, values] of Object.entries(record))
      for (const v of values as string[]) search.append(key, v);
    const query = search.toString();
    return query ? `?${query}` : "";
  });
}

/** Percent-encodes every UTF-8 byte (lone surrogates become U+FFFD, as on the wire). */
export function encodeSegment(text: string): string {
  return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

/**
 * A path segment: a hostile string (URL-encoded), raw bytes that are not UTF-8 (`%ff`), or a
 * placeholder for a real id.
 */
export function hostileSegment(...placeholders: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: hostileString.filter((s) => s.length > 0 && s.length <= 2_000).map(encodeSegment),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 })
        .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")),
    },
    ...(placeholders.length ? [{ weight: 2, arbitrary: fc.constantFrom(...placeholders) }] : []),
  );
}
