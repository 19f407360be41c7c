import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientIp } from "../src/app.ts";
import { checkPasswordStrength, hashPassword, verifyPassword } from "../src/auth/password.ts";
import { FailureLimiter } from "../src/auth/rate-limiter.ts";
import { ConfigError, loadConfig } from "../src/env.ts";
import { randomBase62 } from "../src/lib/ids.ts";

describe("password hashing", () => {
  it("verifies the right password only, with a per-hash salt", async () => {
    const a = await hashPassword("s3cret password!");
    const b = await hashPassword("s3cret password!");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("s3cret password!", a)).toBe(true);
    expect(await verifyPassword("s3cret password?", a)).toBe(false);
    expect(await verifyPassword("s3cret password!", "garbage")).toBe(false);
  });

  it("states the strength rule when refusing", () => {
    expect(checkPasswordStrength("short").ok).toBe(false);
    expect(checkPasswordStrength("aaaaaaaaaaaaaaaa").ok).toBe(false);
    expect(checkPasswordStrength("alice-password-123", "alice").ok).toBe(false);
    expect(checkPasswordStrength("tidy-lamp-river-42", "alice")).toEqual({ ok: true, message: "" });
  });
});

describe("FailureLimiter", () => {
  it("allows free failures, then backs off exponentially, and forgets after the window", () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(
      { freeFailures: 2, windowMs: 60_000, maxDelayMs: 8000 },
      () => now,
    );
    limiter.recordFailure("k");
    expect(limiter.retryAfterMs("k")).toBe(0);
    limiter.recordFailure("k");
    expect(limiter.retryAfterMs("k")).toBe(1000);
    now += 1000;
    expect(limiter.retryAfterMs("k")).toBe(0);
    limiter.recordFailure("k");
    expect(limiter.retryAfterMs("k")).toBe(2000);
    for (let i = 0; i < 10; i++) limiter.recordFailure("k");
    expect(limiter.retryAfterMs("k")).toBe(8000);
    now += 61_000;
    expect(limiter.retryAfterMs("k")).toBe(0);
  });

  it("bounds its memory", () => {
    const limiter = new FailureLimiter({
      freeFailures: 0,
      windowMs: 60_000,
      maxDelayMs: 1000,
      maxKeys: 3,
    });
    for (const k of ["a", "b", "c", "d"]) limiter.recordFailure(k);
    expect(limiter.retryAfterMs("a")).toBe(0);
    expect(limiter.retryAfterMs("d")).toBeGreaterThan(0);
  });

  it("keeps counting an address among many, and evicts the earliest first", () => {
    // A fixed clock: with the real one, a millisecond passing between a failure and the check
    // made the wait 999 ms (seen once in CI).
    const limiter = new FailureLimiter(
      { freeFailures: 3, windowMs: 60_000, maxDelayMs: 60_000, maxKeys: 1000 },
      () => 1_000_000,
    );
    const addresses = Array.from({ length: 5000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    for (const address of addresses.slice(0, 900)) limiter.recordFailure(address);
    for (let i = 0; i < 6; i++) limiter.recordFailure("198.51.100.7");
    expect(limiter.retryAfterMs("198.51.100.7")).toBe(8000);
    for (const address of addresses) {
      limiter.recordFailure(address);
      limiter.recordFailure(address);
    }
    // The last addresses are tracked (a third failure uses up the free ones); the first were
    // evicted under the bound, and so was the flooding address that came before them.
    expect(limiter.retryAfterMs(addresses[4999] ?? "")).toBe(0);
    limiter.recordFailure(addresses[4999] ?? "");
    expect(limiter.retryAfterMs(addresses[4999] ?? "")).toBe(1000);
    expect(limiter.retryAfterMs(addresses[0] ?? "")).toBe(0);
    expect(limiter.retryAfterMs("198.51.100.7")).toBe(0);
  });
});

describe("configuration", () => {
  it("reads durations and flags, with the documented defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.sessionDurationMs).toBe(24 * 3600_000);
    expect(config.sessionRefresh).toBe(true);
    expect(config.maxTokenLifetimeMs).toBeUndefined();
    expect(config.adminUsername).toBe("admin");
    const custom = loadConfig({
      KEYWARD_MAX_TOKEN_LIFETIME: "90d",
      KEYWARD_DEFAULT_TOKEN_LIFETIME: "720h",
      KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH: "true",
      KEYWARD_SESSION_DURATION: "8h",
    });
    expect(custom.maxTokenLifetimeMs).toBe(90 * 86_400_000);
    expect(custom.defaultTokenLifetimeMs).toBe(30 * 86_400_000);
    expect(custom.sessionRefresh).toBe(false);
    expect(custom.sessionDurationMs).toBe(8 * 3600_000);
  });

  it("refuses bad values with a message naming the variable", () => {
    expect(() => loadConfig({ KEYWARD_SESSION_DURATION: "tomorrow" })).toThrow(
      /KEYWARD_SESSION_DURATION/,
    );
    expect(() =>
      loadConfig({ KEYWARD_MAX_TOKEN_LIFETIME: "7d", KEYWARD_DEFAULT_TOKEN_LIFETIME: "30d" }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ KEYWARD_TOKEN_PEPPER: "short" })).toThrow(/at least 32/);
    expect(() => loadConfig({ KEYWARD_PORT: "http" })).toThrow(/KEYWARD_PORT/);
    expect(() => loadConfig({ KEYWARD_TRUST_PROXY: "nginx" })).toThrow(/KEYWARD_TRUST_PROXY/);
  });

  it("reads KEYWARD_TRUST_PROXY as how many proxies stand in front", () => {
    const hops = (value: string | undefined) =>
      loadConfig({ KEYWARD_TRUST_PROXY: value }).trustProxy;
    expect([undefined, "", "0", "off", "false"].map(hops)).toEqual([0, 0, 0, 0, 0]);
    expect(["1", "true", "yes", "on", " 2 "].map(hops)).toEqual([1, 1, 1, 1, 2]);
  });
});

describe("the client address behind proxies", () => {
  const socket = { socket: { remoteAddress: "192.0.2.1" } } as unknown as IncomingMessage;
  it("takes the entry as many from the right as there are proxies; what the client wrote is ignored", () => {
    expect(clientIp(socket, "6.6.6.6, 203.0.113.5", 1)).toBe("203.0.113.5");
    expect(clientIp(socket, "6.6.6.6, 203.0.113.5, 10.0.0.2", 2)).toBe("203.0.113.5");
    expect(clientIp(socket, "203.0.113.5", 2)).toBe("203.0.113.5");
    expect(clientIp(socket, " 203.0.113.5 ", 1)).toBe("203.0.113.5");
    expect(clientIp(socket, "6.6.6.6", 0)).toBe("192.0.2.1");
    expect(clientIp(socket, undefined, 1)).toBe("192.0.2.1");
  });
});

describe("ids", () => {
  it("draws base62 characters", () => {
    const text = randomBase62(2000);
    expect(text).toMatch(/^[0-9a-zA-Z]{2000}$/);
    expect(new Set(text).size).toBe(62);
  });
});
