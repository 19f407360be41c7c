// ApiServerResponse over a real socket: every way an answer can carry headers of its own, merged
// with the API headers written in the same writeHead() call.
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../src/context.ts";
import { API_HEADERS, serveApp, setApiHeaders } from "../src/http/api-headers.ts";
import { setResponseHeader } from "../src/http/responses.ts";

const app = new Hono<AppEnv>()
  .use("/api/*", async (c, next) => {
    setApiHeaders(c, "req_test");
    await next();
  })
  .get("/api/plain", (c) => c.json({ ok: true }))
  .get("/api/empty", (c) => c.body(null, 204))
  .get("/api/own-headers", (c) => {
    c.header("Cache-Control", "max-age=60");
    c.header("X-Extra", "1");
    return c.json({ ok: true });
  })
  .get("/api/set-beforehand", (c) => {
    setResponseHeader(c, "WWW-Authenticate", 'Bearer error="invalid_token"');
    setResponseHeader(c, "X-Frame-Options", "SAMEORIGIN");
    return c.json({ error: "no" }, 401);
  })
  .get("/api/streamed", (c) => c.body(new Blob(["a", "b"]).stream()))
  .get("/page", (c) => c.text("not an API answer"));

let server: ReturnType<typeof serveApp>;
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serveApp(app, { port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Each header as sent (a repeated header would show as "a, b"). */
async function headersOf(path: string) {
  const res = await fetch(`${base}${path}`);
  await res.arrayBuffer();
  return { status: res.status, headers: Object.fromEntries(res.headers) };
}

const defaults = Object.fromEntries(
  Object.entries({ "X-Request-Id": "req_test", ...API_HEADERS }).map(([k, v]) => [
    k.toLowerCase(),
    v,
  ]),
);

describe("API headers written by ApiServerResponse", () => {
  it("go out once with an answer that has only its content type", async () => {
    const { status, headers } = await headersOf("/api/plain");
    expect(status).toBe(200);
    expect(headers).toMatchObject({ ...defaults, "content-type": "application/json" });
  });

  it("go out with an answer that has no headers at all", async () => {
    const { status, headers } = await headersOf("/api/empty");
    expect(status).toBe(204);
    expect(headers).toMatchObject(defaults);
  });

  it("give way to the answer's own headers, each sent once", async () => {
    const own = await headersOf("/api/own-headers");
    expect(own.headers).toMatchObject({
      ...defaults,
      "cache-control": "max-age=60",
      "x-extra": "1",
    });
    const beforehand = await headersOf("/api/set-beforehand");
    expect(beforehand.status).toBe(401);
    expect(beforehand.headers).toMatchObject({
      ...defaults,
      "www-authenticate": 'Bearer error="invalid_token"',
      "x-frame-options": "SAMEORIGIN",
    });
  });

  it("go out with a streamed answer", async () => {
    const res = await fetch(`${base}/api/streamed`);
    expect(await res.text()).toBe("ab");
    expect(Object.fromEntries(res.headers)).toMatchObject(defaults);
  });

  it("stay off answers that are not API answers", async () => {
    const { headers } = await headersOf("/page");
    for (const name of Object.keys(defaults)) expect(headers[name], name).toBeUndefined();
  });
});
