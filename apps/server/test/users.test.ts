import { SERVER_COMMAND_ACTOR } from "@keyward/contracts/audit";
import { builtInRoles, permissions } from "@keyward/contracts/permissions";
import type { UserDetail, UserDto, UserList } from "@keyward/contracts/users";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../src/context.ts";
import { resetPasswordOffline } from "../src/services/users/reset-password-offline.ts";
import { updateUser } from "../src/services/users/update-user.ts";
import {
  attemptSignIn,
  type Caller,
  createTestApp,
  createTestRole,
  errorCode,
  signedInAs,
  TEST_PASSWORD,
  type TestApp,
} from "./harness.ts";

let t: TestApp;
let owner: Caller;
let admin: Caller;
beforeAll(async () => {
  t = await createTestApp();
  owner = (await signedInAs(t, "owner")).caller;
  admin = (await signedInAs(t, "admin")).caller;
});
afterAll(() => t.close());

const STRONG = "a perfectly fine passphrase";

const countUsers = async (app: TestApp = t) =>
  Number(
    (
      await app.db.db
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

const auditFor = (targetId: string) =>
  t.db.db
    .selectFrom("audit_events")
    .selectAll()
    .where("target_id", "=", targetId)
    .orderBy("id")
    .execute();

const patch = (as: Caller, id: string, body: unknown, app: TestApp = t) =>
  app.request(`/api/v1/users/${id}`, { method: "PATCH", as, body });

const signIn = (username: string, password: string, app: TestApp = t) =>
  attemptSignIn(app, username, password);

describe("GET /api/v1/users", () => {
  it("searches username, display name and email, filters by role and status, and counts", async () => {
    const tag = `zeb${Date.now().toString(36)}`;
    const a = await t.createUser("member", { username: `${tag}-anna` });
    const b = await t.createUser("auditor", { username: `${tag}-bert` });
    const c = await t.createUser("member", { username: `${tag}-carl`, status: "disabled" });
    await t.db.db
      .updateTable("users")
      .set({ display_name: "Zed Display", email: "someone@else.test" })
      .where("id", "=", b.id)
      .execute();

    const list = async (query: string) => {
      const res = await t.request(`/api/v1/users?${query}`, { as: owner });
      expect(res.status, query).toBe(200);
      return (await res.json()) as UserList;
    };
    const all = await list(`q=${tag.toUpperCase()}`);
    expect(all.items.map((u) => u.id)).toEqual([a.id, b.id, c.id]);
    expect(all.total).toBe(3);
    expect((await list("q=zed%20display")).items.map((u) => u.id)).toContain(b.id);
    expect((await list(`q=${tag}-carl@example`)).items.map((u) => u.id)).toEqual([c.id]);
    expect((await list(`q=${tag}&status=disabled`)).items.map((u) => u.id)).toEqual([c.id]);
    expect((await list(`q=${tag}&roleId=rol_member&status=active`)).items.map((u) => u.id)).toEqual(
      [a.id],
    );
    const twoRoles = await list("roleId=rol_auditor&roleId=rol_owner");
    expect(twoRoles.items.every((u) => ["rol_auditor", "rol_owner"].includes(u.role.id))).toBe(
      true,
    );
    expect(twoRoles.items.map((u) => u.id)).toContain(b.id);
    // Wildcards are searched for literally.
    expect((await list("q=%25")).total).toBe(0);

    const first = all.items[0];
    expect(first).toMatchObject({
      username: `${tag}-anna`,
      status: "active",
      role: { id: "rol_member", name: "Member" },
    });
    expect(Object.keys(first ?? {}).sort()).toEqual(
      [
        "createdAt",
        "displayName",
        "email",
        "id",
        "lastLoginAt",
        "role",
        "status",
        "updatedAt",
        "username",
      ].sort(),
    );
  });

  it("pages with a cursor in every sort order without repeating or skipping anyone", async () => {
    const tag = `pag${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 7; i++)
      made.push((await t.createUser("guest", { username: `${tag}-${i}` })).id);
    for (const sort of ["username", "-username", "displayName", "-createdAt", "createdAt"]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `q=${tag}&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
        const res = await t.request(`/api/v1/users?${query}`, { as: owner });
        expect(res.status).toBe(200);
        const page = (await res.json()) as UserList;
        expect(page.total).toBe(7);
        seen.push(...page.items.map((u) => u.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages, sort).toBe(3);
      expect(new Set(seen).size, sort).toBe(7);
      expect([...seen].sort(), sort).toEqual([...made].sort());
      if (sort === "username") expect(seen).toEqual(made);
      if (sort === "-username") expect(seen).toEqual([...made].reverse());
    }
  });

  it("refuses bad query input with 400", async () => {
    for (const query of [
      "limit=0",
      "limit=1000",
      "status=gone",
      "sort=password",
      "cursor=garbage",
    ]) {
      const res = await t.request(`/api/v1/users?${query}`, { as: owner });
      expect(res.status, query).toBe(400);
    }
    const first = (await (
      await t.request("/api/v1/users?limit=1&sort=username", { as: owner })
    ).json()) as UserList;
    const mismatched = await t.request(`/api/v1/users?sort=-createdAt&cursor=${first.nextCursor}`, {
      as: owner,
    });
    expect(mismatched.status).toBe(400);
    expect(await errorCode(mismatched)).toBe("invalid_cursor");
  });

  it("is open to users.manage and to tokens.all.read (picking users), 403 otherwise, 401 anonymous", async () => {
    const helpdesk = await createTestRole(t, ["users.manage"]);
    const tokenReaders = await createTestRole(t, ["tokens.all.read"]);
    const expected: [string, number][] = [
      ["owner", 200],
      ["admin", 200],
      ["auditor", 200],
      ["member", 403],
      ["guest", 403],
      [helpdesk, 200],
      [tokenReaders, 200],
    ];
    for (const [role, status] of expected) {
      const { caller } = await signedInAs(t, role);
      const res = await t.request("/api/v1/users", { as: caller });
      expect(res.status, role).toBe(status);
      const body = await res.text();
      expect(body).not.toContain("scrypt$");
      if (status === 403) expect(JSON.parse(body).error.code).toBe("forbidden");
    }
    expect((await t.request("/api/v1/users")).status).toBe(401);
  });
});

describe("API tokens on the user endpoints", () => {
  it("need the user scope, and see only what their allow list names", async () => {
    const { caller } = await signedInAs(t, "admin");
    const target = await t.createUser("member");
    const other = await t.createUser("member");
    const tokenOnly = (await t.createToken(caller, { scopes: ["token:read"] })).secret;
    const refused = await t.request("/api/v1/users", { as: { token: tokenOnly } });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("insufficient_scope");

    const reader = (await t.createToken(caller, { scopes: ["user:read"] })).secret;
    expect((await t.request("/api/v1/users", { as: { token: reader } })).status).toBe(200);
    const write = await t.request(`/api/v1/users/${target.id}`, {
      method: "PATCH",
      as: { token: reader },
      body: { displayName: "via token" },
    });
    expect(write.status).toBe(403);
    expect(await errorCode(write)).toBe("insufficient_scope");

    const narrow = (
      await t.createToken(caller, { scopes: ["user:*"], allow: [`user:${target.id}`] })
    ).secret;
    const list = (await (
      await t.request("/api/v1/users", { as: { token: narrow } })
    ).json()) as UserList;
    expect(list.items.map((u) => u.id)).toEqual([target.id]);
    expect((await t.request(`/api/v1/users/${target.id}`, { as: { token: narrow } })).status).toBe(
      200,
    );
    const hidden = await t.request(`/api/v1/users/${other.id}`, { as: { token: narrow } });
    expect(hidden.status).toBe(404);
    expect(await errorCode(hidden)).toBe("user_not_found");
  });

  it("cannot set their owner's password: that needs the current one, through /me/password", async () => {
    const { user, caller } = await signedInAs(t, "admin");
    const self = (
      await t.createToken(caller, { scopes: ["user:update"], allow: [`user:${user.id}`] })
    ).secret;
    for (const as of [{ token: self }, caller]) {
      const res = await t.request(`/api/v1/users/${user.id}`, {
        method: "PATCH",
        as,
        body: { password: "Taken-over-2026-abc" },
      });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("cannot_reset_own_password");
    }
    // The old password still signs in.
    await t.login(user);
  });
});

describe("POST /api/v1/users", () => {
  it("creates a user who can then sign in, and audits it without the password", async () => {
    const username = `new-${Date.now().toString(36)}`;
    const res = await t.request("/api/v1/users", {
      method: "POST",
      as: admin,
      body: {
        username,
        displayName: "New Person",
        email: "new@example.test",
        roleId: "rol_member",
        password: STRONG,
      },
    });
    expect(res.status).toBe(201);
    const user = (await res.json()) as UserDto;
    expect(user).toMatchObject({
      username,
      displayName: "New Person",
      email: "new@example.test",
      status: "active",
      role: { id: "rol_member", name: "Member" },
      lastLoginAt: null,
    });
    expect(user.id).toMatch(/^usr_/);
    expect((await signIn(username.toUpperCase(), STRONG)).status).toBe(200);
    const audit = await auditFor(user.id);
    expect(audit[0]).toMatchObject({ action: "user.created", target_name: username });
    expect(audit[0]?.details).toEqual({
      role: { id: "rol_member", name: "Member" },
      status: "active",
    });
    expect(JSON.stringify(audit)).not.toContain(STRONG);
    expect(t.logs.join("\n")).not.toContain(STRONG);
  });

  it("defaults the display name to the username and can create a disabled user", async () => {
    const username = `quiet-${Date.now().toString(36)}`;
    const res = await t.request("/api/v1/users", {
      method: "POST",
      as: owner,
      body: { username, roleId: "rol_guest", password: STRONG, status: "disabled" },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      displayName: username,
      email: null,
      status: "disabled",
    });
    expect((await signIn(username, STRONG)).status).toBe(401);
  });

  it("refuses weak passwords stating the rule, and other bad input, writing nothing", async () => {
    const before = await countUsers();
    const base = {
      username: `bad-${Date.now().toString(36)}`,
      roleId: "rol_member",
      password: STRONG,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, password: "" }, "password"],
      [{ ...base, password: "short" }, "password"],
      [{ ...base, password: "aaaaaaaaaaaaaaaa" }, "password"],
      [{ ...base, password: `${base.username}-secret!` }, "password"],
      [{ ...base, username: "has space" }, "username"],
      [{ ...base, username: "" }, "username"],
      [{ ...base, email: "not-an-email" }, "email"],
      [{ ...base, displayName: "" }, "displayName"],
      [{ ...base, roleId: undefined }, "roleId"],
      [{ ...base, status: "sleeping" }, "status"],
    ];
    for (const [body, path] of cases) {
      const res = await t.request("/api/v1/users", { method: "POST", as: owner, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { error } = (await res.json()) as {
        error: { code: string; message: string; issues: { path: string[]; message: string }[] };
      };
      expect(error.code).toBe("validation_failed");
      expect(error.issues.map((i) => i.path.join("."))).toContain(path);
      if (path === "password" && body.password !== "") {
        expect(error.issues[0]?.message).toContain("At least 12 characters");
      }
    }
    const unknownRole = await t.request("/api/v1/users", {
      method: "POST",
      as: owner,
      body: { ...base, roleId: "rol_nope" },
    });
    expect(unknownRole.status).toBe(400);
    expect(await errorCode(unknownRole)).toBe("role_not_found");
    expect(await countUsers()).toBe(before);
  });

  it("refuses a username taken in any letter case with 409 username_taken", async () => {
    const existing = await t.createUser("member");
    const before = await countUsers();
    const res = await t.request("/api/v1/users", {
      method: "POST",
      as: owner,
      body: { username: existing.username.toUpperCase(), roleId: "rol_member", password: STRONG },
    });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("username_taken");
    expect(await countUsers()).toBe(before);
  });

  it("needs users.manage, and a role within the caller's own", async () => {
    const body = (roleId: string) => ({
      username: `by-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
      roleId,
      password: STRONG,
    });
    for (const role of ["auditor", "member", "guest"]) {
      const { caller } = await signedInAs(t, role);
      const res = await t.request("/api/v1/users", {
        method: "POST",
        as: caller,
        body: body("rol_guest"),
      });
      expect(res.status, role).toBe(403);
      expect(await errorCode(res)).toBe("forbidden");
    }
    const ownerByAdmin = await t.request("/api/v1/users", {
      method: "POST",
      as: admin,
      body: body("rol_owner"),
    });
    expect(ownerByAdmin.status).toBe(403);
    expect(await errorCode(ownerByAdmin)).toBe("permissions_exceed_caller");

    const { caller: helpdesk } = await signedInAs(t, await createTestRole(t, ["users.manage"]));
    expect(
      (await t.request("/api/v1/users", { method: "POST", as: helpdesk, body: body("rol_guest") }))
        .status,
    ).toBe(201);
    const member = await t.request("/api/v1/users", {
      method: "POST",
      as: helpdesk,
      body: body("rol_member"),
    });
    expect(member.status).toBe(403);
    expect(await errorCode(member)).toBe("permissions_exceed_caller");
    expect(
      (await t.request("/api/v1/users", { method: "POST", body: body("rol_guest") })).status,
    ).toBe(401);
  });
});

describe("GET /api/v1/users/{id}", () => {
  it("answers the user with their active sessions", async () => {
    const { user } = await signedInAs(t, "member");
    await t.login(user);
    const res = await t.request(`/api/v1/users/${user.id}`, { as: admin });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as UserDetail;
    expect(detail).toMatchObject({
      id: user.id,
      username: user.username,
      role: { id: "rol_member" },
    });
    expect(detail.sessions).toHaveLength(2);
    expect(detail.sessions.every((s) => s.kind === "browser" && !s.current)).toBe(true);
    expect(JSON.stringify(detail)).not.toContain("secret");
  });

  it("answers 404 user_not_found for an unknown id, 403 without users.manage", async () => {
    const missing = await t.request("/api/v1/users/usr_nobody", { as: owner });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("user_not_found");
    const target = await t.createUser("member");
    for (const role of ["auditor", "member", "guest"]) {
      const { caller } = await signedInAs(t, role);
      expect((await t.request(`/api/v1/users/${target.id}`, { as: caller })).status, role).toBe(
        403,
      );
    }
  });
});

describe("PATCH /api/v1/users/{id}", () => {
  it("edits display name and email, auditing which fields changed", async () => {
    const user = await t.createUser("member");
    const res = await patch(admin, user.id, { displayName: "Renamed", email: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      displayName: "Renamed",
      email: null,
      username: user.username,
    });
    const audit = await auditFor(user.id);
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ["user.updated", { changed: ["displayName", "email"] }],
    ]);
  });

  it("changes a role, effective on the user's next request, and audits from and to", async () => {
    const { user, caller } = await signedInAs(t, "guest");
    expect((await t.request("/api/v1/users", { as: caller })).status).toBe(403);
    const res = await patch(owner, user.id, { roleId: "rol_admin" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: { id: "rol_admin", name: "Admin" } });
    expect((await t.request("/api/v1/users", { as: caller })).status).toBe(200);
    const audit = await auditFor(user.id);
    expect(audit.at(-1)).toMatchObject({ action: "user.role_changed" });
    expect(audit.at(-1)?.details).toEqual({
      from: { id: "rol_guest", name: "Guest" },
      to: { id: "rol_admin", name: "Admin" },
    });
  });

  it("refuses changing one's own role and disabling oneself", async () => {
    const { user, caller } = await signedInAs(t, "admin");
    const role = await patch(caller, user.id, { roleId: "rol_member" });
    expect(role.status).toBe(403);
    expect(await errorCode(role)).toBe("cannot_change_own_role");
    const off = await patch(caller, user.id, { status: "disabled" });
    expect(off.status).toBe(403);
    expect(await errorCode(off)).toBe("cannot_disable_self");
    // Re-sending one's current role with other edits is not a change of role.
    const same = await patch(caller, user.id, { roleId: "rol_admin", displayName: "Still me" });
    expect(same.status).toBe(200);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);
  });

  it("disabling ends the user's sessions at once and stops sign-in; enabling restores it", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const other = await t.login(user);
    const res = await patch(admin, user.id, { status: "disabled" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "disabled" });
    for (const c of [caller, other])
      expect((await t.request("/api/v1/me", { as: c })).status).toBe(401);
    const left = await t.db.db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(left).toEqual([]);
    expect((await signIn(user.username, user.password)).status).toBe(401);

    const on = await patch(admin, user.id, { status: "active" });
    expect(on.status).toBe(200);
    expect((await signIn(user.username, user.password)).status).toBe(200);
    const actions = (await auditFor(user.id))
      .map((a) => a.action)
      .filter((a) => a.startsWith("user."));
    expect(actions).toEqual(["user.disabled", "user.enabled"]);
    const disabled = (await auditFor(user.id)).find((a) => a.action === "user.disabled");
    expect(disabled?.details).toEqual({ sessionsEnded: 2 });
  });

  it("disabling makes the user's API tokens fail at once; enabling brings them back", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const { secret } = await t.createToken(caller);
    // Warm the verification cache first: a cached "valid" must not outlive the disable.
    expect((await t.request("/api/v1/me", { as: { token: secret } })).status).toBe(200);
    expect((await patch(admin, user.id, { status: "disabled" })).status).toBe(200);
    const refused = await t.request("/api/v1/me", { as: { token: secret } });
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe("invalid_token");
    expect((await patch(admin, user.id, { status: "active" })).status).toBe(200);
    expect((await t.request("/api/v1/me", { as: { token: secret } })).status).toBe(200);
  });

  it("a role change applies to the user's API tokens on their next request", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const { secret } = await t.createToken(caller);
    expect((await t.request("/api/v1/tokens", { as: { token: secret } })).status).toBe(200);
    expect((await patch(admin, user.id, { roleId: "rol_guest" })).status).toBe(200);
    expect((await t.request("/api/v1/tokens", { as: { token: secret } })).status).toBe(403);
  });

  it("resets a password: weak ones refused with the rule, the new one works, other sessions end", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const weak = await patch(admin, user.id, { password: "tiny" });
    expect(weak.status).toBe(400);
    const { error } = (await weak.json()) as {
      error: { issues: { path: string[]; message: string }[] };
    };
    expect(error.issues[0]?.path).toEqual(["password"]);
    expect(error.issues[0]?.message).toContain("At least 12 characters");
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);

    const res = await patch(admin, user.id, { password: STRONG });
    expect(res.status).toBe(200);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(user.username, STRONG)).status).toBe(200);
    const audit = await auditFor(user.id);
    expect(audit.find((a) => a.action === "user.password_reset")?.details).toEqual({
      sessionsEnded: 1,
    });
    expect(JSON.stringify(audit)).not.toContain(STRONG);
  });

  it("refuses bad input and unknown users, changing nothing", async () => {
    const user = await t.createUser("member");
    for (const body of [
      {},
      { email: "nope" },
      { status: "gone" },
      { displayName: "" },
      { roleId: "" },
    ]) {
      const res = await patch(owner, user.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(res)).toBe("validation_failed");
    }
    const role = await patch(owner, user.id, { roleId: "rol_nope" });
    expect(role.status).toBe(400);
    expect(await errorCode(role)).toBe("role_not_found");
    const missing = await patch(owner, "usr_nobody", { displayName: "x" });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("user_not_found");
    const row = await t.db.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      role_id: "rol_member",
      status: "active",
      display_name: `Test ${user.username}`,
    });
  });

  it("needs users.manage, and never lets a caller touch or create a role above their own", async () => {
    const target = await t.createUser("member");
    for (const role of ["auditor", "member", "guest"]) {
      const { caller } = await signedInAs(t, role);
      const res = await patch(caller, target.id, { displayName: "hacked" });
      expect(res.status, role).toBe(403);
      expect(await errorCode(res)).toBe("forbidden");
    }
    const promote = await patch(admin, target.id, { roleId: "rol_owner" });
    expect(promote.status).toBe(403);
    expect(await errorCode(promote)).toBe("permissions_exceed_caller");
    const anOwner = await t.createUser("owner");
    for (const body of [{ status: "disabled" }, { password: STRONG }, { displayName: "x" }]) {
      const res = await patch(admin, anOwner.id, body);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("permissions_exceed_caller");
    }
    const row = await t.db.db
      .selectFrom("users")
      .select(["role_id", "status"])
      .where("id", "in", [target.id, anOwner.id])
      .orderBy("role_id")
      .execute();
    expect(row).toEqual([
      { role_id: "rol_member", status: "active" },
      { role_id: "rol_owner", status: "active" },
    ]);
  });
});

describe("the last active Owner", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const activeOwners = async () =>
    (
      await app.db.db
        .selectFrom("users")
        .select("id")
        .where("role_id", "=", builtInRoles.owner.id)
        .where("status", "=", "active")
        .execute()
    ).map((r) => r.id);

  it("can be neither disabled nor demoted, even by a role with every permission", async () => {
    const sole = await app.createUser("owner");
    const deputy = await app.login(
      await app.createUser(await createTestRole(app, [...permissions])),
    );
    for (const body of [{ status: "disabled" }, { roleId: "rol_admin" }]) {
      const res = await patch(deputy, sole.id, body, app);
      expect(res.status).toBe(409);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("last_owner");
      expect(error.message).toContain(sole.username);
    }
    // With a second owner one may go; then the other is the last.
    const second = await app.createUser("owner");
    expect((await patch(deputy, sole.id, { status: "disabled" }, app)).status).toBe(200);
    expect((await patch(deputy, second.id, { roleId: "rol_member" }, app)).status).toBe(409);
    expect(await activeOwners()).toEqual([second.id]);
    // A disabled owner does not count, and may be moved to another role.
    expect((await patch(deputy, sole.id, { roleId: "rol_member" }, app)).status).toBe(200);
    expect(
      (await patch(deputy, sole.id, { roleId: "rol_owner", status: "active" }, app)).status,
    ).toBe(200);
    expect((await activeOwners()).sort()).toEqual([sole.id, second.id].sort());
  });

  it("survives two owners disabling each other at the same moment", async () => {
    // Straight through the service verb, without HTTP in between, so the two transactions
    // really overlap; five rounds, each between the survivor and a fresh owner.
    const deps = app.deps;
    const asOwner = (id: string): ServiceContext => ({
      deps,
      principal: {
        user: { id, username: id, displayName: id, email: null },
        role: { id: builtInRoles.owner.id, name: "Owner", permissions: [...permissions] },
        authMethod: "session",
      },
      meta: { requestId: `req_${id}`, ip: "127.0.0.1", userAgent: null },
    });
    for (let round = 0; round < 5; round++) {
      const [survivor, ...rest] = await activeOwners();
      if (!survivor) throw new Error("no owner left");
      for (const id of rest)
        await app.db.db
          .updateTable("users")
          .set({ status: "disabled" })
          .where("id", "=", id)
          .execute();
      const fresh = (await app.createUser("owner")).id;
      const results = await Promise.allSettled([
        updateUser(asOwner(survivor), fresh, { status: "disabled" }),
        updateUser(asOwner(fresh), survivor, { status: "disabled" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected");
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: "last_owner" });
      expect(await activeOwners()).toHaveLength(1);
    }
  });
});

describe("DELETE /api/v1/users/{id}/sessions", () => {
  it("signs a user out everywhere, and audits it", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const other = await t.login(user);
    const res = await t.request(`/api/v1/users/${user.id}/sessions`, {
      method: "DELETE",
      as: admin,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ended: 2 });
    for (const c of [caller, other])
      expect((await t.request("/api/v1/me", { as: c })).status).toBe(401);
    expect((await auditFor(user.id)).map((a) => [a.action, a.details])).toContainEqual([
      "user.sessions_ended",
      { ended: 2 },
    ]);
  });

  it("ends one named session, and 404s a session that is not the user's", async () => {
    const { user, caller } = await signedInAs(t, "member");
    const other = await signedInAs(t, "member");
    const detail = (await (
      await t.request(`/api/v1/users/${user.id}`, { as: admin })
    ).json()) as UserDetail;
    const sessionId = detail.sessions[0]?.id ?? "";
    const otherDetail = (await (
      await t.request(`/api/v1/users/${other.user.id}`, { as: admin })
    ).json()) as UserDetail;
    const foreign = await t.request(
      `/api/v1/users/${user.id}/sessions/${otherDetail.sessions[0]?.id}`,
      { method: "DELETE", as: admin },
    );
    expect(foreign.status).toBe(404);
    expect(await errorCode(foreign)).toBe("session_not_found");
    expect((await t.request("/api/v1/me", { as: other.caller })).status).toBe(200);
    const res = await t.request(`/api/v1/users/${user.id}/sessions/${sessionId}`, {
      method: "DELETE",
      as: admin,
    });
    expect(res.status).toBe(204);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
  });

  it("needs users.manage over the user's role; unknown users are 404", async () => {
    const { user, caller } = await signedInAs(t, "owner");
    const byAdmin = await t.request(`/api/v1/users/${user.id}/sessions`, {
      method: "DELETE",
      as: admin,
    });
    expect(byAdmin.status).toBe(403);
    expect(await errorCode(byAdmin)).toBe("permissions_exceed_caller");
    const member = await signedInAs(t, "member");
    for (const role of ["auditor", "member", "guest"]) {
      const { caller: c } = await signedInAs(t, role);
      expect(
        (await t.request(`/api/v1/users/${member.user.id}/sessions`, { method: "DELETE", as: c }))
          .status,
        role,
      ).toBe(403);
    }
    expect(
      (await t.request("/api/v1/users/usr_nobody/sessions", { method: "DELETE", as: owner }))
        .status,
    ).toBe(404);
    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(200);
    expect((await t.request("/api/v1/me", { as: member.caller })).status).toBe(200);
  });
});

describe("pnpm reset-password (on the server's machine)", () => {
  it("gives a locked-out user a new password, ends their sessions, lifts the backoff and audits it", async () => {
    const { user, caller } = await signedInAs(t, "owner");
    // Six wrong guesses from one address: the username now waits before any attempt.
    for (let i = 0; i < 6; i++) await signIn(user.username, "not the password at all");
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(429);

    const reset = await resetPasswordOffline(t.db.db, user.username.toUpperCase());
    expect(reset).toMatchObject({ username: user.username, sessionsEnded: 1, disabled: false });
    expect(reset.password).toMatch(/^[A-Za-z0-9]{20}$/);

    expect((await t.request("/api/v1/me", { as: caller })).status).toBe(401);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(user.username, reset.password)).status).toBe(200);
    const stored = await t.db.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(reset.password);
    const rows = await auditFor(user.id);
    expect(rows.filter((row) => row.action === "user.password_reset")).toHaveLength(1);
    expect(rows.find((row) => row.action === "user.password_reset")).toMatchObject({
      action: "user.password_reset",
      actor_id: null,
      actor_name: SERVER_COMMAND_ACTOR,
      ip: "localhost",
      details: { sessionsEnded: 1, from: "server command line" },
    });
  });

  it("names an unknown username and changes nothing", async () => {
    const before = await t.db.db.selectFrom("audit_events").select("id").execute();
    await expect(resetPasswordOffline(t.db.db, "nobody-by-this-name")).rejects.toMatchObject({
      code: "user_not_found",
    });
    const after = await t.db.db.selectFrom("audit_events").select("id").execute();
    expect(after.length).toBe(before.length);
  });
});
