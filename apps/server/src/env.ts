// The only module that reads process.env. Everything else receives an AppConfig.
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDuration } from "@keyward/contracts/duration";
import { z } from "zod";

const duration = (name: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({
          code: "custom",
          message: `${name}: "${text}" is not a duration like 720h or 90d`,
        });
        return z.NEVER;
      }
      return ms;
    });

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v !== "" && v !== "0" && v !== "false" && v !== "no");

/**
 * How many proxies of one's own stand in front: off (0), on (1), or a number. Each appends the
 * address it saw to X-Forwarded-For, so the client's is that many entries from the right; what
 * lies further left is whatever the client wrote.
 */
const proxyHops = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v, ctx) => {
    if (v === "" || v === "0" || v === "false" || v === "no" || v === "off") return 0;
    if (v === "true" || v === "yes" || v === "on") return 1;
    if (/^[1-9]$/.test(v)) return Number(v);
    ctx.addIssue({ code: "custom", message: "off, or how many proxies stand in front (1 to 9)" });
    return z.NEVER;
  });

const envSchema = z.object({
  DATABASE_URL: z.string().trim().optional(),
  KEYWARD_DATA_DIR: z.string().trim().default(".keyward"),
  KEYWARD_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  KEYWARD_HOST: z.string().trim().default("0.0.0.0"),
  KEYWARD_ADMIN_USERNAME: z.string().trim().min(1).max(64).default("admin"),
  KEYWARD_ADMIN_PASSWORD: z.string().optional(),
  KEYWARD_TOKEN_PEPPER: z
    .string()
    .min(32, "KEYWARD_TOKEN_PEPPER must be at least 32 characters")
    .optional(),
  KEYWARD_MAX_TOKEN_LIFETIME: duration("KEYWARD_MAX_TOKEN_LIFETIME").optional(),
  KEYWARD_DEFAULT_TOKEN_LIFETIME: duration("KEYWARD_DEFAULT_TOKEN_LIFETIME").optional(),
  KEYWARD_SESSION_DURATION: duration("KEYWARD_SESSION_DURATION").default(24 * 3_600_000),
  KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH: flag.default(false),
  KEYWARD_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  KEYWARD_TRUST_PROXY: proxyHops.default(0),
  KEYWARD_WEB_DIST: z.string().trim().optional(),
});

export interface AppConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  adminUsername: string;
  adminPassword: string | undefined;
  tokenPepper: string | undefined;
  maxTokenLifetimeMs: number | undefined;
  defaultTokenLifetimeMs: number | undefined;
  sessionDurationMs: number;
  sessionRefresh: boolean;
  /**
   * Which policy values the environment sets. Those win over the Settings page (and cannot be
   * changed there); the others start from the defaults above and may be changed at run time.
   */
  policyFixed: PolicyFixed;
  logLevel: z.infer<typeof envSchema>["KEYWARD_LOG_LEVEL"];
  /**
   * Proxies of one's own in front (0: none): the client address is the entry this many from the
   * right of X-Forwarded-For, and X-Forwarded-Proto is believed.
   */
  trustProxy: number;
  /** Built web app to serve; undefined, or a folder without index.html, serves only the API. */
  webDist: string | undefined;
}

export interface PolicyFixed {
  maxTokenLifetime: boolean;
  defaultTokenLifetime: boolean;
  sessionDuration: boolean;
  sessionRefresh: boolean;
}

// The web app's build output inside this repository (apps/web/dist).
const defaultWebDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty variables count as unset, which is what `FOO= pnpm start` means to most people.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (
    e.KEYWARD_MAX_TOKEN_LIFETIME !== undefined &&
    e.KEYWARD_DEFAULT_TOKEN_LIFETIME !== undefined &&
    e.KEYWARD_DEFAULT_TOKEN_LIFETIME > e.KEYWARD_MAX_TOKEN_LIFETIME
  ) {
    throw new ConfigError(
      "Invalid configuration:\n  KEYWARD_DEFAULT_TOKEN_LIFETIME is longer than KEYWARD_MAX_TOKEN_LIFETIME",
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.KEYWARD_DATA_DIR),
    port: e.KEYWARD_PORT,
    host: e.KEYWARD_HOST,
    adminUsername: e.KEYWARD_ADMIN_USERNAME,
    adminPassword: e.KEYWARD_ADMIN_PASSWORD,
    tokenPepper: e.KEYWARD_TOKEN_PEPPER,
    maxTokenLifetimeMs: e.KEYWARD_MAX_TOKEN_LIFETIME,
    defaultTokenLifetimeMs: e.KEYWARD_DEFAULT_TOKEN_LIFETIME,
    sessionDurationMs: e.KEYWARD_SESSION_DURATION,
    sessionRefresh: !e.KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH,
    policyFixed: {
      maxTokenLifetime: "KEYWARD_MAX_TOKEN_LIFETIME" in present,
      defaultTokenLifetime: "KEYWARD_DEFAULT_TOKEN_LIFETIME" in present,
      sessionDuration: "KEYWARD_SESSION_DURATION" in present,
      sessionRefresh: "KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH" in present,
    },
    logLevel: e.KEYWARD_LOG_LEVEL,
    trustProxy: e.KEYWARD_TRUST_PROXY,
    webDist: e.KEYWARD_WEB_DIST
      ? isAbsolute(e.KEYWARD_WEB_DIST)
        ? e.KEYWARD_WEB_DIST
        : resolve(e.KEYWARD_WEB_DIST)
      : defaultWebDist,
  };
}
