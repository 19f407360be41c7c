import { builtInRoles } from "@keyward/contracts/permissions";
import type { RoleDto } from "@keyward/contracts/roles";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Caller,
  createTestApp,
  createTestRole,
  errorCode,
  signedInAs,
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

const countRoles = async () =>
  Number(
    (
      await t.db.db
        .selectFrom("roles")
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

async function createRole(as: Caller, body: unknown) {
  return t.request("/api/v1/roles", { method: "POST", as, body });
}

describe("GET /api/v1/roles", () => {
  it("lists built-in roles first with their permissions and holders, the Owner marked fixed", async () => {
    const custom = await createTestRole(t, ["tokens.own.manage"], "Aardvark keepers");
    await t.createUser(custom);
    const res = await t.request("/api/v1/roles", { as: owner });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: RoleDto[] };
    expect(items.slice(0, 5).map((r) => r.name)).toEqual([
      "Owner",
      "Admin",
      "Auditor",
      "Member",
      "Guest",
    ]);
    const ownerRole = items.find((r) => r.id === builtInRoles.owner.id);
    expect(ownerRole).toMatchObject({
      builtin: true,
      fixed: true,
      permissions: builtInRoles.owner.permissions,
    });
    expect(ownerRole?.userCount).toBeGreaterThanOrEqual(1);
    expect(items.find((r) => r.id === custom)).toMatchObject({
      builtin: false,
      fixed: false,
      userCount: 1,
      permissions: ["tokens.own.manage"],
    });
  });

  it("is open to roles.manage and users.manage (who assign roles), 403 to the rest, 401 anonymous", async () => {
    const rolesOnly = await createTestRole(t, ["roles.manage"]);
    const expected: [string, number][] = [
      ["admin", 200],
      ["auditor", 403],
      ["member", 403],
      ["guest", 403],
      [rolesOnly, 200],
    ];
    for (const [role, status] of expected) {
      const { caller } = await signedInAs(t, role);
      const res = await t.request("/api/v1/roles", { as: caller });
      expect(res.status, role).toBe(status);
      if (status === 403) expect(await errorCode(res)).toBe("forbidden");
    }
    expect((await t.request("/api/v1/roles")).status).toBe(401);
  });

  it("answers one role, and 404 role_not_found for an unknown id", async () => {
    const res = await t.request(`/api/v1/roles/${builtInRoles.member.id}`, { as: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "rol_member", name: "Member" });
    const missing = await t.request("/api/v1/roles/rol_nope", { as: owner });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("role_not_found");
  });
});

describe("POST /api/v1/roles", () => {
  it("creates a custom role, spelling out implied permissions, and audits it", async () => {
    const res = await createRole(owner, {
      name: "  Token stewards ",
      description: "Look after every token",
      permissions: ["tokens.all.manage"],
    });
    expect(res.status).toBe(201);
    const role = (await res.json()) as RoleDto;
    expect(role).toMatchObject({
      name: "Token stewards",
      description: "Look after every token",
      permissions: ["tokens.all.read", "tokens.all.manage"],
      builtin: false,
      fixed: false,
      userCount: 0,
    });
    expect(role.id).toMatch(/^rol_/);
    const audit = await auditFor(role.id);
    expect(audit.map((a) => a.action)).toEqual(["role.created"]);
    expect(audit[0]?.details).toEqual({ permissions: ["tokens.all.read", "tokens.all.manage"] });
  });

  it("refuses bad input with field issues and writes nothing", async () => {
    const before = await countRoles();
    const cases: [unknown, string][] = [
      [{ name: "", permissions: [] }, "name"],
      [{ name: "x".repeat(65), permissions: [] }, "name"],
      [{ name: "Fine", permissions: ["tokens.fly"] }, "permissions.0"],
      [{ name: "Fine", permissions: ["audit.read", "audit.read"] }, "permissions"],
      [{ name: "Fine" }, "permissions"],
      [{ name: "Fine", permissions: [], description: "d".repeat(501) }, "description"],
    ];
    for (const [body, path] of cases) {
      const res = await createRole(owner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { error } = (await res.json()) as {
        error: { code: string; issues: { path: (string | number)[] }[] };
      };
      expect(error.code).toBe("validation_failed");
      expect(error.issues.map((i) => i.path.join("."))).toContain(path);
    }
    expect(await countRoles()).toBe(before);
  });

  it("refuses a name taken in any letter case with 409 role_name_taken", async () => {
    expect((await createRole(owner, { name: "Release Bots", permissions: [] })).status).toBe(201);
    const res = await createRole(owner, { name: "release bots", permissions: [] });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("role_name_taken");
    const builtin = await createRole(owner, { name: "OWNER", permissions: [] });
    expect(builtin.status).toBe(409);
  });

  it("needs roles.manage, and grants only permissions the caller holds", async () => {
    const { caller: roleManager } = await signedInAs(
      t,
      await createTestRole(t, ["roles.manage", "audit.read"]),
    );
    const before = await countRoles();
    for (const role of ["admin", "auditor", "member", "guest"]) {
      const { caller } = await signedInAs(t, role);
      const res = await createRole(caller, { name: `By ${role}`, permissions: [] });
      expect(res.status, role).toBe(403);
      expect(await errorCode(res)).toBe("forbidden");
    }
    const escalate = await createRole(roleManager, {
      name: "Escalated",
      permissions: ["users.manage"],
    });
    expect(escalate.status).toBe(403);
    expect(await errorCode(escalate)).toBe("permissions_exceed_caller");
    expect(await countRoles()).toBe(before);
    const within = await createRole(roleManager, { name: "Readers", permissions: ["audit.read"] });
    expect(within.status).toBe(201);
  });
});

describe("PATCH /api/v1/roles/{id}", () => {
  it("renames and changes permissions of a custom role, auditing what changed", async () => {
    const id = await createTestRole(t, ["tokens.own.manage", "audit.read"], "Old name");
    const res = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: owner,
      body: { name: "New name", permissions: ["tokens.own.manage", "users.manage"] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: "New name",
      permissions: ["tokens.own.manage", "users.manage"],
    });
    const audit = await auditFor(id);
    expect(audit.map((a) => a.action)).toEqual(["role.updated"]);
    expect(audit[0]?.details).toEqual({
      name: { from: "Old name", to: "New name" },
      permissions: { added: ["users.manage"], removed: ["audit.read"] },
    });
  });

  it("applies a permission change to every holder from their next request", async () => {
    const id = await createTestRole(t, ["tokens.own.manage", "users.manage"]);
    const { caller } = await signedInAs(t, id);
    const me = async () =>
      (
        (await (await t.request("/api/v1/me", { as: caller })).json()) as {
          role: { permissions: string[] };
        }
      ).role.permissions;
    expect(await me()).toEqual(["tokens.own.manage", "users.manage"]);
    expect((await t.request("/api/v1/users", { as: caller })).status).toBe(200);

    const res = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: owner,
      body: { permissions: [] },
    });
    expect(res.status).toBe(200);
    expect(await me()).toEqual([]);
    expect((await t.request("/api/v1/users", { as: caller })).status).toBe(403);
  });

  it("applies a permission change to the holders' API tokens on their next request", async () => {
    const id = await createTestRole(t, ["tokens.own.manage"]);
    const { caller } = await signedInAs(t, id);
    const { secret } = await t.createToken(caller);
    expect((await t.request("/api/v1/tokens", { as: { token: secret } })).status).toBe(200);
    const res = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: owner,
      body: { permissions: [] },
    });
    expect(res.status).toBe(200);
    expect((await t.request("/api/v1/tokens", { as: { token: secret } })).status).toBe(403);
  });

  it("keeps the Owner role fixed and built-in names, but lets built-in permissions change", async () => {
    for (const body of [{ permissions: [] }, { description: "mine now" }, { name: "Boss" }]) {
      const res = await t.request(`/api/v1/roles/${builtInRoles.owner.id}`, {
        method: "PATCH",
        as: owner,
        body,
      });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("builtin_role");
    }
    const rename = await t.request(`/api/v1/roles/${builtInRoles.guest.id}`, {
      method: "PATCH",
      as: owner,
      body: { name: "Visitor" },
    });
    expect(rename.status).toBe(403);
    expect(await errorCode(rename)).toBe("builtin_role");

    const grant = await t.request(`/api/v1/roles/${builtInRoles.guest.id}`, {
      method: "PATCH",
      as: owner,
      body: { permissions: ["audit.read"], name: "Guest" },
    });
    expect(grant.status).toBe(200);
    expect(await grant.json()).toMatchObject({ name: "Guest", permissions: ["audit.read"] });
    const revert = await t.request(`/api/v1/roles/${builtInRoles.guest.id}`, {
      method: "PATCH",
      as: owner,
      body: { permissions: [] },
    });
    expect(revert.status).toBe(200);
    const row = await t.db.db
      .selectFrom("roles")
      .select("permissions")
      .where("id", "=", "rol_owner")
      .executeTakeFirstOrThrow();
    expect(row.permissions).toHaveLength(7);
  });

  it("refuses bad input, a taken name, an unknown role, and adding permissions the caller lacks", async () => {
    const id = await createTestRole(t, [], "Patch target");
    await createTestRole(t, [], "Taken name");
    const empty = await t.request(`/api/v1/roles/${id}`, { method: "PATCH", as: owner, body: {} });
    expect(empty.status).toBe(400);
    const bad = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: owner,
      body: { permissions: ["nope"] },
    });
    expect(bad.status).toBe(400);
    const taken = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: owner,
      body: { name: "TAKEN NAME" },
    });
    expect(taken.status).toBe(409);
    expect(await errorCode(taken)).toBe("role_name_taken");
    const missing = await t.request("/api/v1/roles/rol_missing", {
      method: "PATCH",
      as: owner,
      body: { name: "x" },
    });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("role_not_found");

    const { caller: roleManager } = await signedInAs(t, await createTestRole(t, ["roles.manage"]));
    const escalate = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: roleManager,
      body: { permissions: ["settings.manage"] },
    });
    expect(escalate.status).toBe(403);
    expect(await errorCode(escalate)).toBe("permissions_exceed_caller");
    const forbidden = await t.request(`/api/v1/roles/${id}`, {
      method: "PATCH",
      as: admin,
      body: { name: "Admin's" },
    });
    expect(forbidden.status).toBe(403);
    expect(await errorCode(forbidden)).toBe("forbidden");
    const row = await t.db.db
      .selectFrom("roles")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "Patch target", permissions: [] });
  });

  it("refuses changing a role that grants more than the caller's: stripping it would demote its holders", async () => {
    const { caller: roleManager } = await signedInAs(t, await createTestRole(t, ["roles.manage"]));
    for (const body of [{ permissions: [] }, { description: "Demoted" }]) {
      const res = await t.request("/api/v1/roles/rol_admin", {
        method: "PATCH",
        as: roleManager,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(await errorCode(res)).toBe("permissions_exceed_caller");
    }
    const admin = await t.db.db
      .selectFrom("roles")
      .select("permissions")
      .where("id", "=", "rol_admin")
      .executeTakeFirstOrThrow();
    expect(admin.permissions).toContain("users.manage");
  });
});

describe("DELETE /api/v1/roles/{id}", () => {
  it("deletes an unused custom role and audits it", async () => {
    const id = await createTestRole(t, ["audit.read"], "Short-lived");
    const res = await t.request(`/api/v1/roles/${id}`, { method: "DELETE", as: owner });
    expect(res.status).toBe(204);
    expect((await t.request(`/api/v1/roles/${id}`, { as: owner })).status).toBe(404);
    expect((await auditFor(id)).map((a) => [a.action, a.target_name])).toEqual([
      ["role.deleted", "Short-lived"],
    ]);
  });

  it("refuses a role in use, saying how many hold it", async () => {
    const id = await createTestRole(t, [], "Busy role");
    await t.createUser(id);
    await t.createUser(id, { status: "disabled" });
    const res = await t.request(`/api/v1/roles/${id}`, { method: "DELETE", as: owner });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("role_in_use");
    expect(error.message).toContain("2 users");
    expect((await t.request(`/api/v1/roles/${id}`, { as: owner })).status).toBe(200);
  });

  it("refuses built-in roles, unknown roles and callers without roles.manage", async () => {
    for (const role of Object.values(builtInRoles)) {
      const res = await t.request(`/api/v1/roles/${role.id}`, { method: "DELETE", as: owner });
      expect(res.status, role.name).toBe(403);
      expect(await errorCode(res)).toBe("builtin_role");
    }
    expect(
      (await t.request("/api/v1/roles/rol_missing", { method: "DELETE", as: owner })).status,
    ).toBe(404);
    const id = await createTestRole(t, []);
    for (const role of ["admin", "auditor", "member", "guest"]) {
      const { caller } = await signedInAs(t, role);
      const res = await t.request(`/api/v1/roles/${id}`, { method: "DELETE", as: caller });
      expect(res.status, role).toBe(403);
    }
    expect((await t.request(`/api/v1/roles/${id}`, { method: "DELETE" })).status).toBe(401);
    expect((await t.request(`/api/v1/roles/${id}`, { as: owner })).status).toBe(200);
  });
});
