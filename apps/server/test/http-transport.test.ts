// The app served by Node's HTTP server, as in production (serveApp): API headers are written by
// Node's response there (http/api-headers.ts), a different path from app.request()'s in other tests.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp } from "../src/http/api-headers.ts";
import { base62Checksum } from "../src/lib/token-secret.ts";
import { createTestApp, type TestApp } from "./harness.ts";

let t: TestApp;
let server: ReturnType<typeof serveApp>;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await new Promise<void>((resolve) => {
    server = serveApp(t.app, { port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

const apiHeaders = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

describe("API answers over a real socket", () => {
  it("carry the security headers and a request id, on success and on errors", async () => {
    const user = await t.createUser("member");
    const token = await t.createToken(await t.login(user));
    const answers = [
      await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token.secret}` } }),
      await fetch(`${base}/api/v1/me`),
      await fetch(`${base}/api/v1/no-such-route`),
      await fetch(`${base}/api/v1/health`),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 200]);
    const ids = new Set<string>();
    for (const res of answers) {
      for (const [name, value] of Object.entries(apiHeaders))
        expect(res.headers.get(name), `${res.url} ${name}`).toBe(value);
      const id = res.headers.get("x-request-id") ?? "";
      expect(id).toMatch(/^req_[0-9A-Za-z]{20}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(answers.length);
    const error = (await answers[1]?.json()) as { error: { requestId: string } };
    expect(error.error.requestId).toBe(answers[1]?.headers.get("x-request-id"));
  });

  it("refuse a bad token with the envelope and WWW-Authenticate", async () => {
    const res = await fetch(`${base}/api/v1/me`, { headers: { authorization: "Bearer kw_nope" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error).toMatchObject({
      code: "invalid_token",
      requestId: res.headers.get("x-request-id"),
    });
  });

  it("send each header once, letting a route override the default", async () => {
    const res = await fetch(`${base}/api/v1/me`);
    const raw = [...res.headers].filter(([name]) => name === "cache-control");
    expect(raw).toEqual([["cache-control", "no-store"]]);
    const page = await fetch(`${base}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("content-security-policy")).not.toBe(
      apiHeaders["content-security-policy"],
    );
  });

  it("keeps a proxy's request id when it is safe, and replaces one that is not", async () => {
    const kept = await fetch(`${base}/api/v1/me`, { headers: { "x-request-id": "lb-1234-abcd" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-1234-abcd");
    const replaced = await fetch(`${base}/api/v1/me`, {
      headers: { "x-request-id": "<script>alert(1)</script>" },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("log each request with the status it was answered with", async () => {
    const user = await t.createUser("member");
    const token = await t.createToken(await t.login(user));
    const withToken = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } });
    const ok = await fetch(`${base}/api/v1/me`, withToken(token.secret));
    const refused = await fetch(`${base}/api/v1/me`, withToken("kw_nope"));
    const missing = await fetch(`${base}/api/v1/no-such-route`);
    // An unexpected failure inside the request's guards: the token cache breaking once.
    vi.spyOn(t.deps.tokenCache, "get").mockImplementationOnce(() => {
      throw new Error("deliberate failure for the request log");
    });
    const failed = await fetch(`${base}/api/v1/me`, withToken(token.secret));

    const logged = (res: Response) => {
      const id = res.headers.get("x-request-id");
      const lines = t.logs
        .map((line) => JSON.parse(line) as { requestId?: string; msg: string; status?: number })
        .filter((line) => line.requestId === id && line.msg.startsWith("request"));
      expect(lines, `one request line for ${res.url}`).toHaveLength(1);
      return lines[0];
    };
    expect(logged(ok)).toMatchObject({ msg: "request", status: 200 });
    expect(logged(refused)).toMatchObject({ msg: "request", status: 401 });
    expect(logged(missing)).toMatchObject({ msg: "request", status: 404 });
    expect(failed.status).toBe(500);
    expect(logged(failed)).toMatchObject({ msg: "request failed", status: 500 });
  });
});

describe("A header that cannot hold a working token, refused before routing", () => {
  const badToken = { authorization: "Bearer kw_nope", "x-request-id": "probe-malformed-1" };
  const comparable = (res: Response) =>
    Object.fromEntries(
      [...res.headers].filter(
        ([name]) => !["date", "connection", "keep-alive", "content-length"].includes(name),
      ),
    );

  it("gets exactly the answer the request pipeline gives", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/me"],
      ["GET", "/api/v1/tokens?limit=5"],
      ["POST", "/api/v1/tokens/bulk"],
      ["DELETE", "/api/v1/tokens/tok_0000000000000000"],
      ["GET", "/api/v1/no-such-route"],
    ] as const) {
      const early = await fetch(`${base}${path}`, { method, headers: badToken });
      // app.request() has no Node request, so it takes the full pipeline.
      const routed = await t.app.request(path, { method, headers: badToken });
      expect(early.status, path).toBe(401);
      expect(routed.status, path).toBe(401);
      expect(comparable(early), path).toEqual(comparable(routed));
      expect(await early.json(), path).toEqual(await routed.json());
    }
  });

  it("counts against the caller's address, as a guess", async () => {
    const recordFailure = vi.spyOn(t.deps.tokenLimiter, "recordFailure");
    try {
      await fetch(`${base}/api/v1/me`, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
      expect(recordFailure).toHaveBeenCalledWith("127.0.0.1");
    } finally {
      recordFailure.mockRestore();
    }
  });

  it("leaves command-line sessions, pages and well-formed tokens to their real checks", async () => {
    const session = await fetch(`${base}/api/v1/me`, {
      headers: { authorization: "Bearer kws_not-a-session" },
    });
    expect(session.status).toBe(401);
    const sessionError = (await session.json()) as { error: { code: string } };
    expect(sessionError.error.code).not.toBe("invalid_token");

    const docs = await fetch(`${base}/api/docs`, { headers: badToken });
    expect(docs.status).toBe(200);

    const user = await t.createUser("member");
    const token = await t.createToken(await t.login(user));
    const me = await fetch(`${base}/api/v1/me`, {
      headers: { authorization: `Bearer ${token.secret}` },
    });
    expect(me.status).toBe(200);

    // Well-formed, so parsed before routing and checked by the middleware: a wrong secret for a
    // real token id is "not valid", not "malformed".
    const wrong = `kw_${token.token.id.slice(4)}_${"Q".repeat(43)}`;
    const wrongWithChecksum = wrong + base62Checksum(wrong);
    const refused = await fetch(`${base}/api/v1/me`, {
      headers: { authorization: `Bearer ${wrongWithChecksum}` },
    });
    expect(refused.status).toBe(401);
    const refusedError = (await refused.json()) as { error: { message: string } };
    expect(refusedError.error.message).toBe("The API token is not valid.");
  });
});
