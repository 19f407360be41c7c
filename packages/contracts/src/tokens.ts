import { z } from "zod";
import { isoDateTimeSchema as isoDateTime } from "./datetime.ts";
import { HIDDEN_CHARACTER_MESSAGE, hasHiddenCharacter } from "./plain-text.ts";
import { allowEntrySchema, scopeSchema } from "./scopes.ts";

export const tokenStatusSchema = z.enum(["enabled", "disabled"]);
export type TokenStatus = z.infer<typeof tokenStatusSchema>;

/** Public token ids: `tok_` and the same 16 base62 characters embedded in the secret. */
export const TOKEN_ID_PATTERN = /^tok_[0-9A-Za-z]{16}$/;

/** Most ids one bulk action accepts. */
export const MAX_BULK_IDS = 10_000;

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  userId: z.string(),
  userName: z.string(),
  createdBy: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** null: never expires. */
  expiresAt: z.string().nullable(),
  status: tokenStatusSchema,
  /** True once `expiresAt` has passed; the token stays listed but no longer works. */
  expired: z.boolean(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  lastUsedUserAgent: z.string().nullable(),
  scopes: z.array(z.string()),
  allow: z.array(z.string()),
  secretRegeneratedAt: z.string().nullable(),
});
export type Token = z.infer<typeof tokenSchema>;

export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(64, "At most 64 characters")
  .refine((name) => !hasHiddenCharacter(name), HIDDEN_CHARACTER_MESSAGE);

const descriptionSchema = z
  .string()
  .trim()
  .max(1000, "At most 1,000 characters")
  .refine((text) => !hasHiddenCharacter(text, { multiLine: true }), HIDDEN_CHARACTER_MESSAGE);
const scopesSchema = z
  .array(scopeSchema)
  .min(1, "Choose at least one scope")
  .max(64)
  .transform((s) => [...new Set(s)]);
const allowSchema = z
  .array(allowEntrySchema)
  .max(256)
  .transform((a) => [...new Set(a)]);

export const createTokenInputSchema = z.object({
  name: tokenNameSchema,
  /** The owner; defaults to the caller. Another user needs `tokens.all.manage`. */
  userId: z.string().min(1).max(64).optional(),
  description: descriptionSchema.optional(),
  /** Omitted: the deployment's default lifetime. null: never (only without a maximum). */
  expiresAt: isoDateTime.nullable().optional(),
  enabled: z.boolean().optional(),
  /** Defaults to `["all"]`. */
  scopes: scopesSchema.optional(),
  /** Empty or omitted: no allow list. */
  allow: allowSchema.optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInputSchema>;

export const updateTokenInputSchema = z
  .object({
    name: tokenNameSchema.optional(),
    description: descriptionSchema.optional(),
    expiresAt: isoDateTime.nullable().optional(),
    status: tokenStatusSchema.optional(),
    scopes: scopesSchema.optional(),
    allow: allowSchema.optional(),
  })
  .strict();
export type UpdateTokenInput = z.infer<typeof updateTokenInputSchema>;

/** The create and regenerate answer: the only time the secret is ever shown. */
export const tokenWithSecretSchema = z.object({
  token: tokenSchema,
  secret: z.string(),
});
export type TokenWithSecret = z.infer<typeof tokenWithSecretSchema>;

export const tokenSortFields = [
  "name",
  "userName",
  "expiresAt",
  "createdAt",
  "createdByName",
  "lastUsedAt",
  "status",
] as const;
export type TokenSortField = (typeof tokenSortFields)[number];
export const tokenSortSchema = z.enum([
  ...tokenSortFields,
  ...tokenSortFields.map((f) => `-${f}` as const),
] as [
  `${TokenSortField}` | `-${TokenSortField}`,
  ...(`${TokenSortField}` | `-${TokenSortField}`)[],
]);
export type TokenSort = z.infer<typeof tokenSortSchema>;

/** A query parameter that may be repeated (`?userId=a&userId=b`) arrives as string or array. */
const repeatable = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().min(1).max(64)).max(100));

export const expiryFilterSchema = z
  .string()
  .regex(/^(expired|never|within:\d{1,5})$/, "expired, never or within:<days>");

/**
 * Last use: `never` used; used `within:<days>`; or `idle:<days>`, not used in that many days and
 * created before them (a token made yesterday is not idle yet), never-used tokens included.
 */
export const lastUsedFilterSchema = z
  .string()
  .regex(/^(never|within:\d{1,5}|idle:\d{1,5})$/, "never, within:<days> or idle:<days>");

export const listTokensQuerySchema = z.object({
  /** Case-insensitive substring of the name. */
  name: z.string().trim().min(1).max(64).optional(),
  userId: repeatable.optional(),
  createdBy: z.string().min(1).max(64).optional(),
  status: tokenStatusSchema.optional(),
  expiry: expiryFilterSchema.optional(),
  expiresBefore: isoDateTime.optional(),
  expiresAfter: isoDateTime.optional(),
  lastUsed: lastUsedFilterSchema.optional(),
  /** A field, or `-field` for descending. Default `-createdAt`. */
  sort: tokenSortSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** `nextCursor` from the previous page. */
  cursor: z.string().min(1).max(1024).optional(),
});
export type ListTokensQuery = z.infer<typeof listTokensQuerySchema>;

export const tokenListSchema = z.object({
  items: z.array(tokenSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Matching tokens: exact up to 1,000, an estimate above (then `totalIsEstimate`). */
  total: z.number().int(),
  totalIsEstimate: z.boolean(),
});
export type TokenList = z.infer<typeof tokenListSchema>;

export const bulkTokenActionSchema = z.enum(["enable", "disable", "delete"]);
export type BulkTokenAction = z.infer<typeof bulkTokenActionSchema>;

export const bulkTokensInputSchema = z.object({
  action: bulkTokenActionSchema,
  ids: z
    .array(z.string().min(1).max(64))
    .min(1, "Name at least one token")
    .max(MAX_BULK_IDS, `At most ${MAX_BULK_IDS} tokens at once`),
});
export type BulkTokensInput = z.infer<typeof bulkTokensInputSchema>;

export const bulkTokensResultSchema = z.object({
  action: bulkTokenActionSchema,
  /** Tokens the action changed. */
  changed: z.array(z.string()),
  /** Tokens already in the requested state (enable/disable only). */
  unchanged: z.array(z.string()),
});
export type BulkTokensResult = z.infer<typeof bulkTokensResultSchema>;

export const verifyReasons = [
  "malformed",
  "unknown",
  "disabled",
  "expired",
  "owner_disabled",
  "insufficient_scope",
  "resource_not_allowed",
] as const;
export const verifyReasonSchema = z.enum(verifyReasons);
export type VerifyReason = z.infer<typeof verifyReasonSchema>;

export const verifyTokenInputSchema = z.object({
  token: z.string().max(512),
  /** A scope the caller wants to use, e.g. `token:read`. */
  scope: z.string().max(64).optional(),
  /** A resource the caller wants to touch, e.g. `token:tok_…`. */
  resource: z.string().max(128).optional(),
});
export type VerifyTokenInput = z.infer<typeof verifyTokenInputSchema>;

export const verifyTokenResultSchema = z.object({
  valid: z.boolean(),
  reason: verifyReasonSchema.optional(),
  tokenId: z.string().optional(),
  userId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});
export type VerifyTokenResult = z.infer<typeof verifyTokenResultSchema>;
