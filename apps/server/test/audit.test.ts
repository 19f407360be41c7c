import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface AuditPage {
  items: {
    id: string;
    action: string;
    actorId: string | null;
    actorTokenId: string | null;
    targetId: string | null;
    ip: string | null;
    requestId: string | null;
    details: Record<string, unknown>;
  }[];
  nextCursor: string | null;
  total: number;
  totalIsEstimate: boolean;
}

describe("GET /api/v1/audit", () => {
  it("lists token events newest first with who, what, from where, filterable and paged", async () => {
    const user = await t.createUser("member");
    const caller = await t.login(user, "192.0.2.44");
    const { token } = await t.createToken(caller, { name: "audited" });
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: caller,
      body: { status: "disabled" },
    });
    await t.request(`/api/v1/tokens/${token.id}/regenerate`, { method: "POST", as: caller });
    await t.request(`/api/v1/tokens/${token.id}`, { method: "DELETE", as: caller });
    const reader = await t.login(await t.createUser("auditor"));
    const res = await t.request(`/api/v1/audit?targetId=${token.id}`, { as: reader });
    expect(res.status).toBe(200);
    const page = (await res.json()) as AuditPage;
    expect(page.items.map((i) => i.action)).toEqual([
      "token.delete",
      "token.regenerate",
      "token.disable",
      "token.create",
    ]);
    expect(page.total).toBe(4);
    expect(page.items[0]).toMatchObject({
      actorId: user.id,
      actorTokenId: null,
      targetId: token.id,
    });
    expect(page.items[0]?.requestId).toMatch(/^req_/);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const next = (await (
        await t.request(
          `/api/v1/audit?targetId=${token.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
          { as: reader },
        )
      ).json()) as AuditPage;
      paged.push(...next.items.map((i) => i.id));
      cursor = next.nextCursor;
    } while (cursor);
    expect(paged).toEqual(page.items.map((i) => i.id));

    const byAction = (await (
      await t.request(`/api/v1/audit?action=token.create&actorId=${user.id}`, { as: reader })
    ).json()) as AuditPage;
    expect(byAction.items.map((i) => i.targetId)).toEqual([token.id]);
  });

  it("names the token an actor authenticated with", async () => {
    const user = await t.createUser("owner");
    const caller = await t.login(user);
    const { token: via, secret } = await t.createToken(caller, { name: "automation" });
    const res = await t.request("/api/v1/tokens", {
      method: "POST",
      as: { token: secret },
      body: { name: "made by a token" },
    });
    const made = (await res.json()) as { token: { id: string } };
    const page = (await (
      await t.request(`/api/v1/audit?targetId=${made.token.id}`, { as: caller })
    ).json()) as AuditPage;
    expect(page.items[0]).toMatchObject({
      action: "token.create",
      actorId: user.id,
      actorTokenId: via.id,
    });
  });

  it("refuses bad filters and cursors with 400", async () => {
    const reader = await t.login(await t.createUser("auditor"));
    for (const q of ["limit=0", "occurredAfter=soon", "cursor=bad"]) {
      expect((await t.request(`/api/v1/audit?${q}`, { as: reader })).status, q).toBe(400);
    }
  });

  it("needs a caller with audit.read", async () => {
    expect((await t.request("/api/v1/audit")).status).toBe(401);
    const member = await t.login(await t.createUser("member"));
    const res = await t.request("/api/v1/audit", { as: member });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("forbidden");
  });
});

describe("GET /api/v1/scopes", () => {
  it("serves the catalog to a signed-in caller", async () => {
    const caller = await t.login(await t.createUser("guest"));
    const res = await t.request("/api/v1/scopes", { as: caller });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { scopes: { scope: string }[]; resources: string[] };
    const names = body.scopes.map((s) => s.scope);
    expect(names[0]).toBe("all");
    expect(names).toEqual(
      expect.arrayContaining([
        "token:read",
        "token:*",
        "user:read",
        "audit:read",
        "settings:update",
        "session:delete",
      ]),
    );
    expect(body.resources).toEqual(["token", "user", "role", "audit", "settings", "session"]);
    expect((await t.request("/api/v1/scopes")).status).toBe(401);
  });
});
