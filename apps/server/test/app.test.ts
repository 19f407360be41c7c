import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/app.ts";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the HTTP shell", () => {
  it("reports health with the database engine", async () => {
    const res = await t.request("/api/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      database: "up",
      engine: process.env.KEYWARD_TEST_DB,
    });
  });

  it("answers unknown routes with a 404 envelope and a request id", async () => {
    const res = await t.request("/api/v1/nope");
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("route_not_found");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("sends security headers on every response", async () => {
    for (const path of ["/api/v1/health", "/api/v1/nope", "/api/v1/me", "/api/docs"]) {
      const res = await t.request(path);
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("refuses bodies over the size limit with 413", async () => {
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      body: JSON.stringify({ username: "a", password: "x".repeat(MAX_BODY_BYTES + 10) }),
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("payload_too_large");
  });

  it("serves an OpenAPI 3.1 document that describes every API route", async () => {
    const res = await t.request("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const served = t.app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(0);
    for (const route of served) expect(documented).toContain(route);
  });

  it("serves the API reference page with its assets from the server itself", async () => {
    const page = await t.request("/api/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/api/docs/swagger-ui-bundle.js");
    const bundle = await t.request("/api/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
  });
});
