import { z } from "zod";
import { permissionSchema } from "./permissions.ts";
import { HIDDEN_CHARACTER_MESSAGE, hasHiddenCharacter } from "./plain-text.ts";

export const roleNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(64, "At most 64 characters")
  .refine((name) => !hasHiddenCharacter(name), HIDDEN_CHARACTER_MESSAGE);

export const roleDescriptionSchema = z
  .string()
  .trim()
  .max(500, "At most 500 characters")
  .refine((text) => !hasHiddenCharacter(text, { multiLine: true }), HIDDEN_CHARACTER_MESSAGE);

/** A permission checklist: each permission at most once (duplicates are refused, not merged). */
export const rolePermissionsSchema = z
  .array(permissionSchema)
  .max(permissionSchema.options.length)
  .refine((list) => new Set(list).size === list.length, "Each permission at most once");

export const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(permissionSchema),
  /** Shipped with Keyward: cannot be deleted or renamed. */
  builtin: z.boolean(),
  /** Nothing about this role can change (the Owner role). */
  fixed: z.boolean(),
  /** How many users (active or disabled) have this role. */
  userCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RoleDto = z.infer<typeof roleSchema>;

export const roleListSchema = z.object({ items: z.array(roleSchema) });
export type RoleList = z.infer<typeof roleListSchema>;

export const createRoleInputSchema = z.object({
  name: roleNameSchema,
  description: roleDescriptionSchema.optional(),
  permissions: rolePermissionsSchema,
});
export type CreateRoleInput = z.infer<typeof createRoleInputSchema>;

export const updateRoleInputSchema = z
  .object({
    name: roleNameSchema.optional(),
    description: roleDescriptionSchema.optional(),
    permissions: rolePermissionsSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Change at least one field");
export type UpdateRoleInput = z.infer<typeof updateRoleInputSchema>;
