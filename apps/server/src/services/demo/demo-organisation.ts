// The demo organisation behind `pnpm seed:demo`: three dozen people across every built-in role,
// and the API tokens such a company would have after half a year: some never used, some expired
// or about to, some disabled, some made by an administrator on a colleague's behalf, each with the
// audit rows its history would have left. Deterministic: the same people and tokens every time,
// dated relative to `now`.

import { SERVER_COMMAND_ACTOR } from "@keyward/contracts/audit";
import { type BuiltInRoleKey, builtInRoles } from "@keyward/contracts/permissions";
import { ALL_SCOPE } from "@keyward/contracts/scopes";
import type { DB } from "@keyward/db/kysely";
import { sql } from "@keyward/db/kysely";
import { hashPassword } from "../../auth/password.ts";
import { newId } from "../../lib/ids.ts";
import { generateTokenSecret, hashTokenSecret } from "../../lib/token-secret.ts";

export const DEMO_PASSWORD = "demo-password-2026";

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

/** What the tokens are for: a name, a description, the scopes and the client that uses it. */
const tokenKinds = [
  ["ci-deploy", "Deploys from the CI pipeline.", ["token:read"], "GitLab-Runner/17.5.2"],
  ["grafana-dashboards", "Grafana data source for the API dashboards.", [], "Grafana/11.3.0"],
  ["terraform", "Terraform provider for the platform team.", [], "Terraform/1.9.8"],
  ["backup-nightly", "Nightly backup job.", ["token:read", "user:read"], "python-requests/2.32.3"],
  ["local-dev", "", [], "curl/8.11.0"],
  ["jira-sync", "Keeps Jira user fields in step.", ["user:read"], "Apache-HttpClient/4.5.14"],
  ["slack-alerts", "Posts expiring-token reminders to Slack.", ["token:read"], "Slackbot 1.0"],
  [
    "k8s-operator",
    "Cluster operator that rotates service tokens.",
    ["token:*"],
    "Go-http-client/2.0",
  ],
  ["billing-reports", "Monthly billing export.", ["user:read"], "python-requests/2.32.3"],
  ["status-page", "", ["token:read"], "Go-http-client/1.1"],
  ["oncall-bot", "Pages whoever is on call.", [], "node-fetch/1.0"],
  ["keyward-cli", "Command line on my laptop.", [], "keyward-cli/0.1.0 node/20.20.0"],
] as const;

const AUDIT_EXPORT = [
  "audit-export",
  "Exports the audit log to the SIEM.",
  ["audit:read"],
  "Fluent-Bit/3.2.2",
] as const;

/** When the n-th token expires: a third never, one in ten has, one in ten within a week. */
function plannedExpiry(n: number, now: number): number | null {
  const kind = n % 10;
  if (kind <= 2) return null;
  if (kind === 3) return now - (1 + (n % 20)) * DAY_MS;
  if (kind === 4) return now + (1 + (n % 6)) * DAY_MS + ((n * 5) % 24) * HOUR_MS;
  if (kind <= 7) return now + (20 + (n % 70)) * DAY_MS;
  return now + (180 + (n % 185)) * DAY_MS;
}

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const OFFICE_IP = "10.20.0.15";
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface DemoSeedResult {
  usersAdded: number;
  usersExisting: number;
  tokensAdded: number;
  /** One demo token's secret, shown once so the API can be tried (only when it was added now). */
  tryToken?: { username: string; name: string; secret: string };
}

interface DemoUser {
  id: string;
  username: string;
  displayName: string;
  role: BuiltInRoleKey;
  status: "active" | "disabled";
  index: number;
}

/**
 * Adds the demo people that are not there yet, and tokens for those it added (so running it
 * twice changes nothing). Token expiries respect `maxTokenLifetimeMs` when the deployment sets one.
 * All in one transaction.
 */
export async function seedDemoOrganisation(
  db: DB,
  options: { serverSecret: Buffer; maxTokenLifetimeMs?: number; now?: Date },
): Promise<DemoSeedResult> {
  const now = (options.now ?? new Date()).getTime();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const everyone: DemoUser[] = people.map((name, index) => {
    const username = name.toLowerCase().replace(/[^a-z]+/g, ".");
    return {
      id: newId("usr"),
      username,
      displayName: name,
      role: roleCycle[index % roleCycle.length] ?? "member",
      // Every eleventh person has left the company.
      status: index % 11 === 10 ? "disabled" : "active",
      index,
    };
  });
  // Joined over 200 days, in list order.
  const createdAtOf = (u: DemoUser) => new Date(now - (200 - u.index) * DAY_MS);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("users")
      .values(
        everyone.map((u) => ({
          id: u.id,
          username: u.username,
          display_name: u.displayName,
          email: `${u.username}@demo.keyward.test`,
          // One hash for all demo users keeps seeding fast; these accounts are for demonstration.
          password_hash: passwordHash,
          role_id: builtInRoles[u.role].id,
          status: u.status,
          created_at: createdAtOf(u),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .execute();
    const added = new Set(inserted.map((row) => row.id));
    const newcomers = everyone.filter((u) => added.has(u.id));
    if (newcomers.length > 0)
      await trx
        .insertInto("audit_events")
        .values(newcomers.map((u) => userCreatedEvent(u, createdAtOf(u))))
        .execute();
    const admin = everyone.find((u) => u.role === "admin" && u.status === "active");
    const plan = planTokens(newcomers, admin && added.has(admin.id) ? admin : undefined, {
      now,
      maxLifetimeMs: options.maxTokenLifetimeMs,
    });
    if (plan.length === 0) {
      return {
        usersAdded: newcomers.length,
        usersExisting: everyone.length - newcomers.length,
        tokensAdded: 0,
      };
    }

    let tryToken: DemoSeedResult["tryToken"];
    const rows = plan.map((token) => {
      const secret = generateTokenSecret(token.id);
      if (token.showSecret) tryToken = { username: token.owner.username, name: token.name, secret };
      return {
        id: token.id,
        user_id: token.owner.id,
        user_name: token.owner.username,
        created_by: token.creator.id,
        created_by_name: token.creator.username,
        name: token.name,
        description: token.description,
        secret_hash: hashTokenSecret(options.serverSecret, secret),
        status: token.status,
        scopes: token.scopes,
        allow: token.allow,
        expires_at: token.expiresAt,
        created_at: token.createdAt,
        updated_at: new Date(
          Math.max(
            token.createdAt.getTime(),
            token.regeneratedAt?.getTime() ?? 0,
            token.disabledAt?.getTime() ?? 0,
          ),
        ),
        secret_regenerated_at: token.regeneratedAt,
      };
    });
    await trx.insertInto("api_tokens").values(rows).execute();
    // Usage rows come from the insert trigger; fill in the tokens that have been used.
    const used = plan.filter((t) => t.lastUsed);
    if (used.length) {
      await sql`
        update api_token_usage as u
        set last_used_at = v.at, last_used_ip = v.ip, last_used_user_agent = v.agent
        from unnest(${used.map((t) => t.id)}::text[],
          ${used.map((t) => t.lastUsed?.at.toISOString())}::timestamptz[],
          ${used.map((t) => t.lastUsed?.ip)}::text[],
          ${used.map((t) => t.lastUsed?.agent)}::text[]) as v(id, at, ip, agent)
        where u.token_id = v.id`.execute(trx);
    }
    await trx.insertInto("audit_events").values(plan.flatMap(auditHistory)).execute();
    return {
      usersAdded: newcomers.length,
      usersExisting: everyone.length - newcomers.length,
      tokensAdded: plan.length,
      ...(tryToken ? { tryToken } : {}),
    };
  });
}

interface PlannedToken {
  id: string;
  owner: DemoUser;
  creator: DemoUser;
  name: string;
  description: string;
  scopes: string[];
  allow: string[];
  status: "enabled" | "disabled";
  createdAt: Date;
  expiresAt: Date | null;
  regeneratedAt: Date | null;
  disabledAt: Date | null;
  lastUsed: { at: Date; ip: string; agent: string } | undefined;
  showSecret: boolean;
}

/**
 * The tokens of the given people. Spread by index arithmetic rather than chance, so every demo
 * shows the same mix: about a third never expire, one in ten has expired and one in ten expires
 * within a week, one in seven is disabled, one in six was never used; guests have none, auditors
 * one an administrator made for them.
 */
function planTokens(
  newcomers: DemoUser[],
  admin: DemoUser | undefined,
  { now, maxLifetimeMs }: { now: number; maxLifetimeMs: number | undefined },
): PlannedToken[] {
  const planned: PlannedToken[] = [];
  const firstMember = newcomers.find((u) => u.role === "member" && u.status === "active");
  for (const owner of newcomers) {
    if (owner.role === "guest") continue;
    // Auditors cannot manage tokens themselves: theirs was made by an administrator.
    if (owner.role === "auditor" && !admin) continue;
    const i = owner.index;
    const count = owner.role === "auditor" || owner.status === "disabled" ? 1 : 1 + ((i * 7) % 4);
    for (let j = 0; j < count; j++) {
      const n = i * 3 + j;
      const [name, description, scopes, agent] =
        owner.role === "auditor"
          ? AUDIT_EXPORT
          : (tokenKinds[(i + j * 5) % tokenKinds.length] ?? AUDIT_EXPORT);
      // Some members asked an administrator for theirs.
      const creator = admin && (owner.role === "auditor" || n % 5 === 4) ? admin : owner;
      const ageDays = owner.status === "disabled" ? 150 + (n % 40) : 3 + ((i * 37 + j * 53) % 170);
      let createdAt = now - ageDays * DAY_MS - ((n * 7) % 24) * HOUR_MS;
      let expiresAt = plannedExpiry(n, now);
      // An expired token lived a month at least.
      if (expiresAt !== null && expiresAt <= now)
        createdAt = Math.min(createdAt, expiresAt - 30 * DAY_MS);
      if (
        maxLifetimeMs !== undefined &&
        (expiresAt === null || expiresAt - createdAt > maxLifetimeMs)
      )
        expiresAt = createdAt + maxLifetimeMs;
      const status = n % 7 === 3 ? "disabled" : "enabled";
      const disabledAt = status === "disabled" ? createdAt + (now - createdAt) / 2 : undefined;
      // Whatever stopped the token came after its last use and any regeneration.
      const usableUntil = Math.min(now, expiresAt ?? now, disabledAt ?? now);
      const regeneratedAt =
        n % 9 === 5 ? createdAt + ((usableUntil - createdAt) * 2) / 3 : undefined;
      const lastUsedAt = usableUntil - (1 + ((i * 131 + j * 17) % 4000)) * 60_000;
      const neverUsed = (i * 5 + j) % 6 === 0 || lastUsedAt <= (regeneratedAt ?? createdAt);
      planned.push({
        id: newId("tok"),
        owner,
        creator,
        name,
        description,
        scopes: scopes.length ? [...scopes] : [ALL_SCOPE],
        allow: name === "jira-sync" ? ["user:*"] : [],
        status,
        createdAt: new Date(createdAt),
        expiresAt: expiresAt === null ? null : new Date(expiresAt),
        regeneratedAt: regeneratedAt === undefined ? null : new Date(regeneratedAt),
        disabledAt: disabledAt === undefined ? null : new Date(disabledAt),
        lastUsed: neverUsed
          ? undefined
          : {
              at: new Date(lastUsedAt),
              ip: n % 3 === 0 ? `10.20.${i % 8}.${(n * 41) % 250}` : `203.0.113.${(n * 13) % 250}`,
              agent,
            },
        showSecret: false,
      });
    }
  }
  // The token whose secret the seed prints, so the API can be tried at once.
  if (firstMember) {
    planned.push({
      id: newId("tok"),
      owner: firstMember,
      creator: firstMember,
      name: "try-the-api",
      description: "Made by pnpm seed:demo; its secret was printed once.",
      scopes: [ALL_SCOPE],
      allow: [],
      status: "enabled",
      createdAt: new Date(now),
      expiresAt:
        maxLifetimeMs === undefined
          ? new Date(now + 30 * DAY_MS)
          : new Date(now + Math.min(maxLifetimeMs, 30 * DAY_MS)),
      regeneratedAt: null,
      disabledAt: null,
      lastUsed: undefined,
      showSecret: true,
    });
  }
  return planned;
}

/** A demo user's first audit event: created by this command, as the server's command line. */
function userCreatedEvent(user: DemoUser, createdAt: Date) {
  const role = builtInRoles[user.role];
  return {
    occurred_at: createdAt,
    actor_id: null,
    actor_name: SERVER_COMMAND_ACTOR,
    actor_token_id: null,
    action: "user.created",
    target_type: "user",
    target_id: user.id,
    target_name: user.username,
    details: JSON.stringify({ role: { id: role.id, name: role.name }, status: user.status }),
    ip: "localhost",
    user_agent: "pnpm seed:demo",
    request_id: null,
  };
}

/** The audit rows a token's history would have written: created, then regenerated, disabled. */
function auditHistory(token: PlannedToken) {
  const row = (action: string, actor: DemoUser, at: Date, details: Record<string, unknown>) => ({
    occurred_at: at,
    actor_id: actor.id,
    actor_name: actor.username,
    actor_token_id: null,
    action,
    target_type: "token",
    target_id: token.id,
    target_name: token.name,
    details: JSON.stringify({ userId: token.owner.id, ...details }),
    ip: OFFICE_IP,
    user_agent: BROWSER,
    request_id: null,
  });
  const rows = [
    row("token.create", token.creator, token.createdAt, {
      status: "enabled",
      expiresAt: token.expiresAt?.toISOString() ?? null,
      scopes: token.scopes,
      allow: token.allow,
    }),
  ];
  if (token.regeneratedAt) rows.push(row("token.regenerate", token.owner, token.regeneratedAt, {}));
  if (token.disabledAt)
    rows.push(
      row("token.disable", token.creator, token.disabledAt, {
        changes: { status: { from: "enabled", to: "disabled" } },
      }),
    );
  return rows;
}
