import { auditExportColumns } from "@keyward/contracts/audit";
import { builtInRoles, permissions } from "@keyward/contracts/permissions";
import { sql } from "@keyward/db/kysely";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../src/context.ts";
import { exportAudit } from "../src/services/audit/export-audit.ts";
import { ServiceError } from "../src/services/errors.ts";
import { type Caller, createTestApp, errorCode, type TestApp } from "./harness.ts";

let t: TestApp;
let owner: Caller;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.login(await t.createUser("owner"));
});
afterAll(() => t.close());

type Row = Record<(typeof auditExportColumns)[number], string>;

async function exported(as: Caller | { token: string }, query: string) {
  const res = await t.request(`/api/v1/audit/export?${query}`, { as });
  expect(res.status, await res.clone().text()).toBe(200);
  // Response.text() would drop the byte-order mark, which spreadsheets need to read UTF-8.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  const rows = parse(text, { columns: true, bom: true }) as Row[];
  return { res, text, rows };
}

/** Audit rows straight into the table: many events without many requests. */
async function insertEvents(action: string, count: number) {
  await sql`
    insert into audit_events (occurred_at, actor_name, action, target_type, target_id, details)
    select now() - (g || ' seconds')::interval, 'loader', ${action}, 'token', 'tok_' || g, '{}'
    from generate_series(1, ${count}) as g`.execute(t.db.db);
}

const exportsOf = async (action: string) =>
  (
    await t.db.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "audit.export")
      .execute()
  ).filter((row) => (row.details.filters as { action?: string }).action === action);

describe("GET /api/v1/audit/export", () => {
  it("answers the filtered log as a CSV download, newest first, with every column", async () => {
    const names = ["first-export", "second-export", "third-export"];
    for (const name of names) await t.createToken(owner, { name });
    const { res, text, rows } = await exported(owner, "action=token.create");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="keyward-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.headers.get("x-keyward-rows")).toBe("3");
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text.slice(1).split("\n")[0]).toBe(auditExportColumns.join(","));
    expect(rows.map((row) => row.targetName)).toEqual([...names].reverse());
    for (const row of rows) {
      expect(row.action).toBe("token.create");
      expect(row.targetId).toMatch(/^tok_/);
      expect(JSON.parse(row.details)).toMatchObject({ status: "enabled" });
      expect(Number.isNaN(Date.parse(row.occurredAt))).toBe(false);
    }
    // The export is audited, with what it held.
    expect(await exportsOf("token.create")).toEqual([
      { details: { rows: 3, filters: { action: "token.create" } } },
    ]);
  });

  it("keeps commas, quotes and newlines intact and neutralises spreadsheet formulas", async () => {
    const name = '=HYPERLINK("http://attacker.example","x")';
    const description = "line one, with a comma\nline two";
    const { token } = await t.createToken(owner, { name, description });
    await t.request(`/api/v1/tokens/${token.id}`, {
      method: "PATCH",
      as: owner,
      body: { name: "@SUM(1, 2)" },
      headers: { "user-agent": '-2+3, "quoted" agent' },
    });
    const { rows } = await exported(owner, `targetId=${token.id}`);
    expect(rows.map((row) => row.action)).toEqual(["token.update", "token.create"]);
    const [update, create] = rows;
    expect(create?.targetName).toBe(`'${name}`);
    expect(update?.targetName).toBe("'@SUM(1, 2)");
    expect(update?.userAgent).toBe(`'-2+3, "quoted" agent`);
    expect(JSON.parse(update?.details ?? "{}")).toMatchObject({
      changes: { name: { from: name, to: "@SUM(1, 2)" } },
    });
  });

  it("streams an export longer than one batch whole, in order, each event once", async () => {
    await insertEvents("test.many", 2_345);
    const { res, rows } = await exported(owner, "action=test.many");
    expect(res.headers.get("x-keyward-rows")).toBe("2345");
    expect(rows).toHaveLength(2_345);
    expect(new Set(rows.map((row) => row.targetId)).size).toBe(2_345);
    // Inserted one second apart, newest (tok_1) first.
    expect(rows.map((row) => row.targetId)).toEqual(
      Array.from({ length: 2_345 }, (_, i) => `tok_${i + 1}`),
    );
  });

  it("exports a bulk action's rows, which share one timestamp to the microsecond, each once", async () => {
    // One statement, one timestamp: like the audit rows of a bulk action on 2,500 tokens.
    await sql`
      insert into audit_events (occurred_at, actor_name, action, target_type, target_id, details)
      select '2026-11-20T10:00:00.123456Z'::timestamptz, 'bulk', 'test.bulk', 'token', 'tok_' || g, '{}'
      from generate_series(1, 2500) as g`.execute(t.db.db);
    const { res, rows } = await exported(owner, "action=test.bulk");
    expect(res.headers.get("x-keyward-rows")).toBe("2500");
    expect(new Set(rows.map((row) => row.targetId)).size).toBe(2_500);
    expect(rows).toHaveLength(2_500);
    // Same time, so newest first means the larger id first: inserted last.
    expect(rows[0]?.targetId).toBe("tok_2500");
    expect(rows.at(-1)?.targetId).toBe("tok_1");
  });

  it("answers a header row alone when nothing matches", async () => {
    const { res, text, rows } = await exported(owner, "action=no.such.action");
    expect(res.headers.get("x-keyward-rows")).toBe("0");
    expect(rows).toEqual([]);
    expect(text).toBe(`\uFEFF${auditExportColumns.join(",")}\n`);
  });

  it("needs audit.read, and a token needs the audit:read scope", async () => {
    const anonymous = await t.request("/api/v1/audit/export");
    expect(anonymous.status).toBe(401);
    const member = await t.login(await t.createUser("member"));
    const refused = await t.request("/api/v1/audit/export", { as: member });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("forbidden");

    const auditor = await t.login(await t.createUser("auditor"));
    const narrow = await t.createToken(owner, { name: "tokens-only", scopes: ["token:read"] });
    const scoped = await t.request("/api/v1/audit/export", { as: { token: narrow.secret } });
    expect(scoped.status).toBe(403);
    expect(await errorCode(scoped)).toBe("insufficient_scope");
    const auditToken = await t.createToken(owner, { name: "audit-reader", scopes: ["audit:read"] });
    const created = await t.db.db
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "token.create")
      .execute();
    expect((await exported({ token: auditToken.secret }, "action=token.create")).rows.length).toBe(
      created.length,
    );
    expect((await exported(auditor, "action=test.many&limit=5")).rows.length).toBe(2_345);
  });

  it("refuses bad filters with 400 and the field", async () => {
    const res = await t.request("/api/v1/audit/export?occurredAfter=yesterday", { as: owner });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("validation_failed");
  });

  it("refuses an export over the limit before streaming, and records nothing", async () => {
    await insertEvents("test.capped", 120);
    const ctx: ServiceContext = {
      deps: t.deps,
      principal: {
        user: { id: "usr_export_owner", username: "export-owner", displayName: "", email: null },
        role: { id: builtInRoles.owner.id, name: "Owner", permissions: [...permissions] },
        authMethod: "session",
      },
      meta: { requestId: "req_export", ip: "127.0.0.1", userAgent: null },
    };
    const refused = await exportAudit(ctx, { action: "test.capped" }, 100).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).code).toBe("export_too_large");
    expect(await exportsOf("test.capped")).toEqual([]);
    expect((await exportAudit(ctx, { action: "test.capped" }, 120)).rows).toBe(120);
  });
});
