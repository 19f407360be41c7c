// `pnpm seed:demo`: fills the configured database (DATABASE_URL, or the embedded one in
// KEYWARD_DATA_DIR) with a demo organisation: a few dozen users across every built-in role.
// Safe to run twice: existing usernames are left alone.
import { type BuiltInRoleKey, builtInRoles } from "@keyward/contracts/permissions";
import { createDb } from "@keyward/db/client";
import { migrateToLatest } from "@keyward/db/migrate";
import { hashPassword } from "../src/auth/password.ts";
import { loadConfig } from "../src/env.ts";
import { newId } from "../src/lib/ids.ts";

const DEMO_PASSWORD = "demo-password-2026";

const people = [
  "Ada Lovelace",
  "Grace Hopper",
  "Alan Turing",
  "Katherine Johnson",
  "Linus Torvalds",
  "Margaret Hamilton",
  "Dennis Ritchie",
  "Barbara Liskov",
  "Ken Thompson",
  "Frances Allen",
  "Donald Knuth",
  "Radia Perlman",
  "Tim Berners-Lee",
  "Hedy Lamarr",
  "John McCarthy",
  "Shafi Goldwasser",
  "Edsger Dijkstra",
  "Adele Goldberg",
  "Niklaus Wirth",
  "Sophie Wilson",
  "Bjarne Stroustrup",
  "Annie Easley",
  "Guido van Rossum",
  "Lynn Conway",
  "James Gosling",
  "Jean Sammet",
  "Vint Cerf",
  "Mary Kenneth Keller",
  "Leslie Lamport",
  "Evelyn Boyd Granville",
  "Whitfield Diffie",
  "Karen Sparck Jones",
  "Brian Kernighan",
  "Joan Clarke",
  "Ward Cunningham",
  "Carol Shaw",
];

const roleCycle: BuiltInRoleKey[] = [
  "member",
  "member",
  "member",
  "admin",
  "member",
  "auditor",
  "guest",
  "member",
  "owner",
];

async function main() {
  const config = loadConfig();
  const handle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const rows = people.map((name, i) => {
      const role = roleCycle[i % roleCycle.length] ?? "member";
      const username = name.toLowerCase().replace(/[^a-z]+/g, ".");
      return {
        id: newId("usr"),
        username,
        display_name: name,
        email: `${username}@demo.keyward.test`,
        // One hash for all demo users keeps seeding fast; these accounts are for demonstration only.
        password_hash: passwordHash,
        role_id: builtInRoles[role].id,
        // Every eleventh person has left the company.
        status: i % 11 === 10 ? ("disabled" as const) : ("active" as const),
      };
    });
    const inserted = await handle.db
      .insertInto("users")
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning("username")
      .execute();
    console.log(
      `Seeded ${inserted.length} demo users (${rows.length - inserted.length} already there) on ${handle.engine}.`,
    );
    console.log(
      `Each demo user signs in with the password "${DEMO_PASSWORD}", e.g. ada.lovelace (Member), katherine.johnson (Admin), margaret.hamilton (Auditor), dennis.ritchie (Guest).`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
