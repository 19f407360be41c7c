import { builtInRoles } from "@keyward/contracts/permissions";
import type { DB } from "@keyward/db/kysely";
import { hashPassword } from "../../auth/password.ts";
import { newId, randomBase62 } from "../../lib/ids.ts";

export interface BootstrapResult {
  created: boolean;
  username: string;
  /** Set only when the password was generated here; the caller prints it once. */
  generatedPassword?: string;
}

/**
 * On first start there is nobody to sign in as: create the first Owner, from the configured
 * username and password, or with a generated password. Does nothing once any owner exists.
 */
export async function bootstrapOwner(
  db: DB,
  options: { username: string; password: string | undefined },
): Promise<BootstrapResult> {
  const existing = await db
    .selectFrom("users")
    .select("username")
    .where("role_id", "=", builtInRoles.owner.id)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { created: false, username: existing.username };

  const generatedPassword = options.password ? undefined : randomBase62(20);
  const password = options.password ?? generatedPassword ?? "";
  const inserted = await db
    .insertInto("users")
    .values({
      id: newId("usr"),
      username: options.username,
      display_name: "Administrator",
      email: null,
      password_hash: await hashPassword(password),
      role_id: builtInRoles.owner.id,
      status: "active",
    })
    // Two processes starting at once: the unique username index lets only one insert win.
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return { created: false, username: options.username };
  return {
    created: true,
    username: options.username,
    ...(generatedPassword ? { generatedPassword } : {}),
  };
}
