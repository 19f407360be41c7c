// GET /api/v1/tokens/{id}/history: a token's latest audit events, for anyone who may see the token.
import type { AuditEvent, TokenHistory } from "@keyward/contracts/audit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type As, createTestApp, errorCode, signedInAs, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function history(path: string, as: As) {
  const res = await t.request(path, { as });
  return { res, body: res.status === 200 ? ((await res.json()) as TokenHistory) : undefined };
}

const actions = (items: AuditEvent[] | undefined) => items?.map((e) => e.action);

describe("GET /api/v1/tokens/{id}/history", () => {
  it("tells the owner who changed their token and how, newest first, without anyone's address", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const { token } = await t.createToken(caller, { name: "deploy" });
    const admin = await signedInAs(t, "admin");
    const patch = (body: unknown, as = admin.caller) =>
      t.request(`/api/v1/tokens/${token.id}`, { method: "PATCH", as, body });
    expect((await patch({ status: "disabled" })).status).toBe(200);
    expect((await patch({ name: "deploy-2", status: "enabled" }, caller)).status).toBe(200);

    const { res, body } = await history(`/api/v1/tokens/${token.id}/history`, caller);
    expect(res.status).toBe(200);
    expect(actions(body?.items)).toEqual(["token.update", "token.disable", "token.create"]);
    expect(body?.items[1]).toMatchObject({
      actorId: admin.user.id,
      actorName: admin.user.username,
      targetId: token.id,
      details: { userId: user.id, changes: { status: { from: "enabled", to: "disabled" } } },
    });
    expect(body?.items[0]?.details).toMatchObject({
      changes: { name: { from: "deploy", to: "deploy-2" } },
    });
    // Where the administrator was, and with what, is for the audit log's readers.
    for (const event of body?.items ?? []) {
      expect(event).toMatchObject({ ip: null, userAgent: null, requestId: null });
    }
  });

  it("shows the audit log's readers the addresses too, and answers only that token's events", async () => {
    const { caller } = await signedInAs(t, "member");
    const { token } = await t.createToken(caller);
    const other = await t.createToken(caller);
    await t.request(`/api/v1/tokens/${other.token.id}/regenerate`, { method: "POST", as: caller });
    const auditor = await signedInAs(t, "auditor");
    const { body } = await history(`/api/v1/tokens/${token.id}/history`, auditor.caller);
    expect(actions(body?.items)).toEqual(["token.create"]);
    expect(body?.items[0]?.ip).toBeTruthy();
    expect(body?.items[0]?.requestId).toBeTruthy();
  });

  it("keeps to the limit asked for (8 by default, at most 50)", async () => {
    const { caller } = await signedInAs(t, "member");
    const { token } = await t.createToken(caller);
    for (let i = 0; i < 9; i++) {
      const status = i % 2 === 0 ? "disabled" : "enabled";
      await t.request(`/api/v1/tokens/${token.id}`, {
        method: "PATCH",
        as: caller,
        body: { status },
      });
    }
    const path = `/api/v1/tokens/${token.id}/history`;
    expect((await history(path, caller)).body?.items).toHaveLength(8);
    expect((await history(`${path}?limit=3`, caller)).body?.items.map((e) => e.action)).toEqual([
      "token.disable",
      "token.enable",
      "token.disable",
    ]);
    expect((await history(`${path}?limit=50`, caller)).body?.items).toHaveLength(10);
    for (const bad of ["0", "51", "x"]) {
      const res = await t.request(`${path}?limit=${bad}`, { as: caller });
      expect(res.status, bad).toBe(400);
      expect(await errorCode(res)).toBe("validation_failed");
    }
  });

  it("answers 404 for someone else's token or an unknown id, 401 without a caller, and 403 to a guest", async () => {
    const owner = await signedInAs(t, "member");
    const { token } = await t.createToken(owner.caller);
    const stranger = await signedInAs(t, "member");
    for (const id of [token.id, "tok_doesnotexist0000"]) {
      const res = await t.request(`/api/v1/tokens/${id}/history`, { as: stranger.caller });
      expect(res.status, id).toBe(404);
      expect(await errorCode(res)).toBe("token_not_found");
    }
    expect((await t.request(`/api/v1/tokens/${token.id}/history`)).status).toBe(401);
    const guest = await signedInAs(t, "guest");
    expect(
      (await t.request(`/api/v1/tokens/${token.id}/history`, { as: guest.caller })).status,
    ).toBe(403);
  });

  it("holds a token caller to token:read and its allow list, and shows addresses only with audit:read", async () => {
    const owner = await signedInAs(t, "owner");
    const { token } = await t.createToken(owner.caller);
    const path = `/api/v1/tokens/${token.id}/history`;
    const withScopes = async (scopes: string[], allow: string[] = []) =>
      (await t.createToken(owner.caller, { scopes, allow })).secret;

    const noRead = await t.request(path, { as: { token: await withScopes(["user:read"]) } });
    expect(noRead.status).toBe(403);
    expect(await errorCode(noRead)).toBe("insufficient_scope");

    const elsewhere = await withScopes(["token:read"], ["token:tok_someotherid0000"]);
    expect((await t.request(path, { as: { token: elsewhere } })).status).toBe(404);

    const readOnly = await history(path, { token: await withScopes(["token:read"]) });
    expect(readOnly.res.status).toBe(200);
    expect(readOnly.body?.items[0]?.ip).toBeNull();

    const withAudit = await history(path, {
      token: await withScopes(["token:read", "audit:read"]),
    });
    expect(withAudit.body?.items[0]?.ip).toBeTruthy();
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await t.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths["/api/v1/tokens/{id}/history"]?.get).toBeDefined();
  });
});
