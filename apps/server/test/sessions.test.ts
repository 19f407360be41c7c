import type { CliToken, SessionInfo } from "@keyward/contracts/sessions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, createTestApp, errorCode, signedInAs, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function sessionsOf(as: Caller | { authorization: string }): Promise<SessionInfo[]> {
  const res =
    "cookie" in as
      ? await t.request("/api/v1/me/sessions", { as })
      : await t.request("/api/v1/me/sessions", { headers: as });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: SessionInfo[] }).items;
}

async function issueCliToken(as: Caller): Promise<CliToken> {
  const res = await t.request("/api/v1/auth/cli-token", { method: "POST", as });
  expect(res.status).toBe(201);
  return (await res.json()) as CliToken;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("GET /api/v1/me/sessions", () => {
  it("lists the caller's active sessions, marking the current one", async () => {
    const { user, caller: first } = await signedInAs(t, "guest");
    const second = await t.login(user, "10.20.30.40");
    const other = await signedInAs(t, "member");
    const items = await sessionsOf(second);
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    const current = items.find((s) => s.current);
    expect(current).toMatchObject({ kind: "browser", ip: "10.20.30.40" });
    expect(Object.keys(current ?? {}).sort()).toEqual(
      ["createdAt", "current", "expiresAt", "id", "ip", "kind", "lastSeenAt", "userAgent"].sort(),
    );
    // The other user's session is not among them, and the first sees the same two.
    const ids = (await sessionsOf(first)).map((s) => s.id).sort();
    expect(ids).toEqual(items.map((s) => s.id).sort());
    expect((await sessionsOf(other.caller)).map((s) => s.id)).not.toContain(ids[0]);
  });

  it("leaves out expired sessions, and answers 401 without a session", async () => {
    const { user, caller } = await signedInAs(t, "member");
    await t.login(user);
    await t.db.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", user.id)
      .where("ip", "!=", "10.99.99.99")
      .execute();
    // Both sessions expired: the caller's own request fails, as any expired session would.
    expect((await t.request("/api/v1/me/sessions", { as: caller })).status).toBe(401);
    const fresh = await t.login(user, "10.99.99.99");
    expect(await sessionsOf(fresh)).toHaveLength(1);
    expect((await t.request("/api/v1/me/sessions")).status).toBe(401);
  });
});

describe("DELETE /api/v1/me/sessions/{id}", () => {
  it("ends another of one's sessions, which stops working at once; the current one goes on", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const laptop = await t.login(user);
    const laptopId = (await sessionsOf(laptop)).find((s) => s.current)?.id ?? "";
    const res = await t.request(`/api/v1/me/sessions/${laptopId}`, {
      method: "DELETE",
      as: caller,
    });
    expect(res.status).toBe(204);
    expect((await t.request("/api/v1/me", { as: laptop })).status).toBe(401);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);
    const audit = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "=", laptopId)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ["auth.login", user.id],
      ["session.ended", user.id],
    ]);
  });

  it("ending the current session signs out and clears the cookie", async () => {
    const { caller } = await signedInAs(t, "guest");
    const id = (await sessionsOf(caller))[0]?.id ?? "";
    const res = await t.request(`/api/v1/me/sessions/${id}`, { method: "DELETE", as: caller });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((l) => l.startsWith("kw_session=;"))).toBe(true);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
  });

  it("answers 404 for someone else's session and an unknown one, leaving them alone", async () => {
    const mallory = await signedInAs(t, "owner");
    const victim = await signedInAs(t, "member");
    const victimSession = (await sessionsOf(victim.caller))[0]?.id ?? "";
    for (const id of [victimSession, "ses_doesnotexist00"]) {
      const res = await t.request(`/api/v1/me/sessions/${id}`, {
        method: "DELETE",
        as: mallory.caller,
      });
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe("session_not_found");
    }
    expect((await t.request("/api/v1/me", { as: victim.caller })).status).toBe(200);
  });

  it("needs the CSRF token with a cookie, and a caller", async () => {
    const { caller } = await signedInAs(t, "member");
    const id = (await sessionsOf(caller))[0]?.id ?? "";
    const forged = await t.request(`/api/v1/me/sessions/${id}`, {
      method: "DELETE",
      as: caller,
      headers: { "x-csrf-token": "nope" },
    });
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe("csrf_failed");
    expect((await t.request(`/api/v1/me/sessions/${id}`, { method: "DELETE" })).status).toBe(401);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);
  });
});

describe("POST /api/v1/auth/cli-token", () => {
  it("issues a kws_ token once, valid for an hour, that authenticates as a cli session", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const res = await t.request("/api/v1/auth/cli-token", { method: "POST", as: caller });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const issued = (await res.json()) as CliToken;
    expect(issued.token).toMatch(/^kws_[A-Za-z0-9_-]{43}$/);
    const lifetime = new Date(issued.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

    const me = await t.request("/api/v1/me", { headers: bearer(issued.token) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      id: user.id,
      authMethod: "session",
      sessionExpiresAt: issued.expiresAt,
    });

    // Listed among the sessions, as `current` when asked with the token itself.
    const listed = await sessionsOf(bearer(issued.token));
    expect(listed.find((s) => s.id === issued.sessionId)).toMatchObject({
      kind: "cli",
      current: true,
    });
    expect((await sessionsOf(caller)).find((s) => s.id === issued.sessionId)?.current).toBe(false);

    const audit = await t.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "=", issued.sessionId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["session.cli_token_issued"]);
    const secret = issued.token.slice(4);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(t.logs.join("\n")).not.toContain(secret);
  });

  it("writes with the token need no CSRF token; ending its session ends the token", async () => {
    const { caller } = await signedInAs(t, "member");
    const issued = await issueCliToken(caller);
    const browserId = (await sessionsOf(caller)).find((s) => s.current)?.id ?? "";
    const ended = await t.request(`/api/v1/me/sessions/${browserId}`, {
      method: "DELETE",
      headers: bearer(issued.token),
    });
    expect(ended.status).toBe(204);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
    const self = await t.request(`/api/v1/me/sessions/${issued.sessionId}`, {
      method: "DELETE",
      headers: bearer(issued.token),
    });
    expect(self.status).toBe(204);
    expect((await t.request("/api/v1/me", { headers: bearer(issued.token) })).status).toBe(401);
  });

  it("slides its expiry by an hour while in use", async () => {
    const { caller } = await signedInAs(t, "member");
    const issued = await issueCliToken(caller);
    await t.db.db
      .updateTable("sessions")
      .set({
        last_seen_at: new Date(Date.now() - 10 * 60_000),
        expires_at: new Date(Date.now() + 60_000),
      })
      .where("id", "=", issued.sessionId)
      .execute();
    expect((await t.request("/api/v1/me", { headers: bearer(issued.token) })).status).toBe(200);
    const row = await t.db.db
      .selectFrom("sessions")
      .select("expires_at")
      .where("id", "=", issued.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(row.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
  });

  it("is only issued to a browser session, not to a command-line session or nobody", async () => {
    const { caller } = await signedInAs(t, "guest");
    const issued = await issueCliToken(caller);
    const again = await t.request("/api/v1/auth/cli-token", {
      method: "POST",
      headers: bearer(issued.token),
    });
    expect(again.status).toBe(403);
    expect(await errorCode(again)).toBe("forbidden");
    expect((await t.request("/api/v1/auth/cli-token", { method: "POST" })).status).toBe(401);
  });

  it("keeps cookie and bearer apart: neither secret works in the other's place", async () => {
    const { caller } = await signedInAs(t, "member");
    const issued = await issueCliToken(caller);
    const asCookie = await t.request("/api/v1/me", {
      headers: { cookie: `kw_session=${issued.token.slice(4)}` },
    });
    expect(asCookie.status).toBe(401);
    const cookieSecret = caller.cookie.split(";")[0]?.split("=")[1] ?? "";
    expect((await t.request("/api/v1/me", { headers: bearer(`kws_${cookieSecret}`) })).status).toBe(
      401,
    );
    expect(
      (
        await t.request("/api/v1/me", {
          headers: bearer("kws_made-up-token-made-up-token-made-up-tok"),
        })
      ).status,
    ).toBe(401);
  });

  it("expires: session_expired after its time, and follows a shorter session duration", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const issued = await issueCliToken(caller);
    await t.db.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", issued.sessionId)
      .execute();
    const res = await t.request("/api/v1/me", { headers: bearer(issued.token) });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("session_expired");
    expect(user.id).toBeTruthy();

    const short = await createTestApp({ KEYWARD_SESSION_DURATION: "20m" });
    try {
      const who = await short.createUser("member");
      const login = await short.login(who);
      const r = await short.request("/api/v1/auth/cli-token", { method: "POST", as: login });
      const body = (await r.json()) as CliToken;
      const lifetime = new Date(body.expiresAt).getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(19 * 60_000);
      expect(lifetime).toBeLessThanOrEqual(20 * 60_000);
    } finally {
      await short.close();
    }
  });
});
