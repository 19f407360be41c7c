import { type AuditEvent, SERVER_COMMAND_ACTOR } from "@keyward/contracts/audit";
import type { Token, TokenList } from "@keyward/contracts/tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_PASSWORD,
  type DemoSeedResult,
  seedDemoOrganisation,
} from "../src/services/demo/demo-organisation.ts";
import { createTestApp, type TestApp } from "./harness.ts";

const DAY_MS = 86_400_000;

let t: TestApp;
let seeded: DemoSeedResult;
let tokens: Token[];
beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedDemoOrganisation(t.db.db, { serverSecret: t.deps.serverSecret });
  // Read back the way an administrator sees them: signed in as a demo Owner, through the API.
  const owner = await t.login({ id: "", username: "ken.thompson", password: DEMO_PASSWORD });
  const res = await t.request("/api/v1/tokens?limit=200", { as: owner });
  expect(res.status).toBe(200);
  tokens = ((await res.json()) as TokenList).items;
});
afterAll(() => t.close());

describe("pnpm seed:demo's organisation", () => {
  it("adds three dozen people and tokens with every state the token page can show", async () => {
    expect(seeded).toMatchObject({ usersAdded: 36, usersExisting: 0 });
    expect(tokens).toHaveLength(seeded.tokensAdded);
    expect(tokens.length).toBeGreaterThan(40);
    const now = Date.now();
    const count = (test: (token: Token) => boolean) => tokens.filter(test).length;
    expect(count((x) => x.expired)).toBeGreaterThan(0);
    expect(count((x) => x.expiresAt === null)).toBeGreaterThan(0);
    expect(
      count(
        (x) => !x.expired && x.expiresAt !== null && Date.parse(x.expiresAt) < now + 7 * DAY_MS,
      ),
    ).toBeGreaterThan(0);
    expect(count((x) => x.status === "disabled")).toBeGreaterThan(0);
    expect(count((x) => x.lastUsedAt === null)).toBeGreaterThan(0);
    // Enabled tokens idle for 90 days, for the token page's notice about them.
    const idleSince = now - 90 * DAY_MS;
    expect(
      count(
        (x) =>
          x.status === "enabled" &&
          Date.parse(x.createdAt) <= idleSince &&
          (x.lastUsedAt === null || Date.parse(x.lastUsedAt) <= idleSince),
      ),
    ).toBeGreaterThan(0);
    expect(count((x) => x.secretRegeneratedAt !== null)).toBeGreaterThan(0);
    expect(count((x) => x.createdBy !== x.userId)).toBeGreaterThan(0);
    expect(count((x) => x.allow.length > 0)).toBeGreaterThan(0);
    expect(count((x) => !x.scopes.includes("all"))).toBeGreaterThan(0);

    for (const token of tokens) {
      const created = Date.parse(token.createdAt);
      if (token.lastUsedAt) {
        const used = Date.parse(token.lastUsedAt);
        expect(used).toBeGreaterThan(created);
        expect(used).toBeLessThanOrEqual(now);
        if (token.expiresAt) expect(used).toBeLessThan(Date.parse(token.expiresAt));
        expect(token.lastUsedIp).toBeTruthy();
        expect(token.lastUsedUserAgent).toBeTruthy();
      }
      if (token.expiresAt) expect(Date.parse(token.expiresAt)).toBeGreaterThan(created);
    }
  });

  it("gives guests no tokens and auditors only ones an administrator made", async () => {
    const users = await t.db.db
      .selectFrom("users")
      .select(["id", "role_id"])
      .where("email", "like", "%@demo.keyward.test")
      .execute();
    const roleOf = new Map(users.map((u) => [u.id, u.role_id]));
    for (const token of tokens) {
      expect(roleOf.get(token.userId)).not.toBe("rol_guest");
      if (roleOf.get(token.userId) === "rol_auditor")
        expect(roleOf.get(token.createdBy ?? "")).toBe("rol_admin");
    }
  });

  it("writes each token's history to the audit log: created by its creator when it was made", async () => {
    const created = await t.db.db
      .selectFrom("audit_events")
      .select(["target_id", "actor_id", "occurred_at"])
      .where("action", "=", "token.create")
      .execute();
    const byToken = new Map(created.map((row) => [row.target_id, row]));
    for (const token of tokens) {
      const row = byToken.get(token.id);
      expect(row?.actor_id).toBe(token.createdBy);
      expect(row?.occurred_at.toISOString()).toBe(token.createdAt);
    }
    const disabled = await t.db.db
      .selectFrom("audit_events")
      .select("target_id")
      .where("action", "=", "token.disable")
      .execute();
    expect(new Set(disabled.map((row) => row.target_id))).toEqual(
      new Set(tokens.filter((x) => x.status === "disabled").map((x) => x.id)),
    );
  });

  it("records each person's creation, by the server's command line, on the day they joined", async () => {
    const owner = await t.login({ id: "", username: "ken.thompson", password: DEMO_PASSWORD });
    const users = (await (await t.request("/api/v1/users?limit=100", { as: owner })).json()) as {
      items: { id: string; username: string; createdAt: string; role: { name: string } }[];
    };
    expect(users.items).toHaveLength(36);
    for (const user of users.items) {
      const res = await t.request(`/api/v1/audit?targetType=user&targetId=${user.id}`, {
        as: owner,
      });
      const events = ((await res.json()) as { items: AuditEvent[] }).items;
      expect(
        events.map((e) => e.action),
        user.username,
      ).toContain("user.created");
      const created = events.find((e) => e.action === "user.created");
      expect(created).toMatchObject({
        actorId: null,
        actorName: SERVER_COMMAND_ACTOR,
        occurredAt: user.createdAt,
        targetName: user.username,
        details: { role: { name: user.role.name } },
      });
    }
  });

  it("hands out one working token, so the API can be tried at once", async () => {
    const tryToken = seeded.tryToken;
    expect(tryToken?.secret).toMatch(/^kw_/);
    const me = await t.request("/api/v1/me", { as: { token: tryToken?.secret ?? "" } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: tryToken?.username, authMethod: "token" });
    // Every other demo token is a real token too, whose secret nobody has.
    const stored = await t.db.db.selectFrom("api_tokens").select("secret_hash").execute();
    expect(new Set(stored.map((row) => row.secret_hash.toString("hex"))).size).toBe(stored.length);
  });

  it("adds nothing when run again", async () => {
    const again = await seedDemoOrganisation(t.db.db, { serverSecret: t.deps.serverSecret });
    expect(again).toEqual({ usersAdded: 0, usersExisting: 36, tokensAdded: 0 });
    const { count } = await t.db.db
      .selectFrom("api_tokens")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(tokens.length);
    const created = await t.db.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("action", "=", "user.created")
      .executeTakeFirstOrThrow();
    expect(Number(created.count)).toBe(36);
  });

  it("keeps every expiry within the deployment's maximum lifetime", async () => {
    const capped = await createTestApp();
    try {
      const maxTokenLifetimeMs = 90 * DAY_MS;
      const result = await seedDemoOrganisation(capped.db.db, {
        serverSecret: capped.deps.serverSecret,
        maxTokenLifetimeMs,
      });
      const rows = await capped.db.db
        .selectFrom("api_tokens")
        .select(["created_at", "expires_at"])
        .execute();
      expect(rows).toHaveLength(result.tokensAdded);
      for (const row of rows) {
        expect(row.expires_at).not.toBeNull();
        expect((row.expires_at?.getTime() ?? 0) - row.created_at.getTime()).toBeLessThanOrEqual(
          maxTokenLifetimeMs,
        );
      }
    } finally {
      await capped.close();
    }
  });
});
