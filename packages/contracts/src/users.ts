import { z } from "zod";
import { usernameSchema } from "./auth.ts";
import { HIDDEN_CHARACTER_MESSAGE, hasHiddenCharacter } from "./plain-text.ts";
import { sessionSchema } from "./sessions.ts";

export const userStatusSchema = z.enum(["active", "disabled"]);
export type UserStatus = z.infer<typeof userStatusSchema>;

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a display name")
  .max(128, "At most 128 characters")
  .refine((name) => !hasHiddenCharacter(name), HIDDEN_CHARACTER_MESSAGE);

export const emailSchema = z
  .email("Enter a valid email address")
  .max(254, "At most 254 characters");

/**
 * Only the length is checked here; the strength rule (checkPasswordStrength on the server) needs
 * the username and states itself in the 400 answer.
 */
export const newPasswordSchema = z
  .string()
  .min(1, "Enter a password")
  .max(1024, "At most 1,024 characters");

/** `POST /api/v1/me/password`: a signed-in user changes their own password. */
export const changeOwnPasswordInputSchema = z.object({
  currentPassword: z
    .string()
    .min(1, "Enter your current password")
    .max(1024, "At most 1,024 characters"),
  newPassword: newPasswordSchema,
});
export type ChangeOwnPasswordInput = z.infer<typeof changeOwnPasswordInputSchema>;

export const changedOwnPasswordSchema = z.object({
  /** The user's other sessions (browsers and command lines), signed out by the change. */
  otherSessionsEnded: z.number().int(),
});
export type ChangedOwnPassword = z.infer<typeof changedOwnPasswordSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  status: userStatusSchema,
  role: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserDto = z.infer<typeof userSchema>;

/** One user with their active sessions. Their tokens come from GET /api/v1/tokens?userId=…. */
export const userDetailSchema = userSchema.extend({ sessions: z.array(sessionSchema) });
export type UserDetail = z.infer<typeof userDetailSchema>;

export const userSortSchema = z.enum([
  "username",
  "-username",
  "displayName",
  "-displayName",
  "createdAt",
  "-createdAt",
]);
export type UserSort = z.infer<typeof userSortSchema>;

/** A query parameter that may be given once or repeated (`?roleId=a&roleId=b`). */
const repeatable = <T extends z.ZodType<string>>(item: T) =>
  z
    .union([item, z.array(item)])
    .transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

export const listUsersQuerySchema = z.object({
  /** Matches username, display name or email, case-insensitively, anywhere in the text. */
  q: z.string().trim().max(128, "At most 128 characters").optional(),
  roleId: repeatable(z.string().min(1).max(64)).optional(),
  status: userStatusSchema.optional(),
  sort: userSortSchema.default("username"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const userListSchema = z.object({
  items: z.array(userSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** How many users match the filters, over all pages. */
  total: z.number().int(),
});
export type UserList = z.infer<typeof userListSchema>;

export const createUserInputSchema = z.object({
  username: usernameSchema,
  /** Defaults to the username. */
  displayName: displayNameSchema.optional(),
  email: emailSchema.nullable().optional(),
  roleId: z.string().min(1, "Choose a role").max(64),
  password: newPasswordSchema,
  status: userStatusSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const updateUserInputSchema = z
  .object({
    username: usernameSchema.optional(),
    displayName: displayNameSchema.optional(),
    email: emailSchema.nullable().optional(),
    roleId: z.string().min(1, "Choose a role").max(64).optional(),
    status: userStatusSchema.optional(),
    /** A new password set by an administrator; ends the user's other sessions. */
    password: newPasswordSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Change at least one field");
export type UpdateUserInput = z.infer<typeof updateUserInputSchema>;
