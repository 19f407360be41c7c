import { z } from "zod";
import { permissionSchema } from "./permissions.ts";

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "Enter a username")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9._@-]+$/, "Letters, digits and . _ @ - only");

export const loginInputSchema = z.object({
  username: z.string().trim().min(1, "Enter your username").max(64, "At most 64 characters"),
  password: z.string().min(1, "Enter your password").max(1024, "At most 1,024 characters"),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const roleSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(permissionSchema),
});
export type RoleSummary = z.infer<typeof roleSummarySchema>;

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: roleSummarySchema,
  /** How the current request authenticated. */
  authMethod: z.enum(["session", "token"]),
  sessionExpiresAt: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

export const loginResultSchema = z.object({
  user: meSchema,
  expiresAt: z.string(),
});
export type LoginResult = z.infer<typeof loginResultSchema>;

export const healthSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  database: z.enum(["up", "down"]),
  engine: z.enum(["postgres", "pglite"]),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;

/** Name of the cookie that carries the CSRF token the web app echoes in `x-csrf-token`. */
export const CSRF_COOKIE = "kw_csrf";
export const CSRF_HEADER = "x-csrf-token";
export const SESSION_COOKIE = "kw_session";
/** Set by a successful sign-in and sent only to the sign-in route: see the server's trusted-devices.ts. */
export const DEVICE_COOKIE = "kw_device";
