import { tokenSortFields } from "@keyward/contracts/tokens";
import { sql } from "@keyward/db/kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNT_CAP } from "../src/services/pagination.ts";
import { type Caller, createTestApp, errorCode, type TestApp, type TestUser } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

interface Item {
  id: string;
  name: string;
  userId: string;
  userName: string;
  createdByName: string;
  status: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  expired: boolean;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  total: number;
  totalIsEstimate: boolean;
}

async function list(as: Caller, query: string, app: TestApp = t): Promise<Page> {
  const res = await app.request(`/api/v1/tokens?${query}`, { as });
  expect(res.status, query).toBe(200);
  return (await res.json()) as Page;
}

async function walk(as: Caller, query: string, limit: number, app: TestApp = t): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await list(
      as,
      `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      app,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items);
    // A cursor that does not move on would page forever.
    if (page.nextCursor) expect(page.nextCursor, query).not.toBe(cursor);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** One member with a varied set of tokens, and a second member with one token. */
let owner: TestUser;
let ownerCaller: Caller;
let other: TestUser;
let auditor: Caller;
const ids: Record<string, string> = {};

beforeAll(async () => {
  owner = await t.createUser("member");
  ownerCaller = await t.login(owner);
  other = await t.createUser("member");
  auditor = await t.login(await t.createUser("auditor"));
  const admin = await t.createUser("admin");
  const adminCaller = await t.login(admin);
  const specs = [
    { name: "alpha deploy", expiresAt: new Date(Date.now() + 2 * DAY).toISOString() },
    { name: "beta 100%_off", expiresAt: null },
    {
      name: "gamma reader",
      expiresAt: new Date(Date.now() + 40 * DAY).toISOString(),
      enabled: false,
    },
    { name: "delta DEPLOY", expiresAt: new Date(Date.now() + 10 * DAY).toISOString() },
    { name: "epsilon", expiresAt: null },
    { name: "zeta expired", expiresAt: new Date(Date.now() + 5 * DAY).toISOString() },
  ];
  for (const spec of specs) {
    const { token } = await t.createToken(ownerCaller, spec);
    ids[spec.name] = token.id;
  }
  const { token: byAdmin } = await t.createToken(adminCaller, {
    name: "eta by admin",
    userId: owner.id,
    expiresAt: null,
  });
  ids["eta by admin"] = byAdmin.id;
  const { token: others } = await t.createToken(await t.login(other), { name: "other's deploy" });
  ids.others = others.id;
  // Make one expired and two used, straight in the table (the API refuses past expiry dates).
  await t.db.db
    .updateTable("api_tokens")
    .set({ expires_at: new Date(Date.now() - DAY) })
    .where("id", "=", ids["zeta expired"] ?? "")
    .execute();
  await t.db.db
    .updateTable("api_token_usage")
    .set({ last_used_at: new Date(Date.now() - 3600_000) })
    .where("token_id", "=", ids["alpha deploy"] ?? "")
    .execute();
  await t.db.db
    .updateTable("api_token_usage")
    .set({ last_used_at: new Date(Date.now() - 60_000) })
    .where("token_id", "=", ids.epsilon ?? "")
    .execute();
});

describe("GET /api/v1/tokens", () => {
  it("shows a member only their own tokens, newest first by default", async () => {
    const page = await list(ownerCaller, "");
    expect(page.total).toBe(7);
    expect(page.totalIsEstimate).toBe(false);
    expect(page.nextCursor).toBeNull();
    expect(new Set(page.items.map((i) => i.userId))).toEqual(new Set([owner.id]));
    const created = page.items.map((i) => i.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    // Another user's id in the filter does not widen what a member sees.
    expect((await list(ownerCaller, `userId=${other.id}`)).items).toEqual([]);
  });

  it("shows tokens.all.read callers everyone's, filterable by one or many users", async () => {
    const both = await list(auditor, `userId=${owner.id}&userId=${other.id}&limit=200`);
    expect(both.total).toBe(8);
    expect(new Set(both.items.map((i) => i.userId))).toEqual(new Set([owner.id, other.id]));
    const one = await list(auditor, `userId=${other.id}`);
    expect(one.items.map((i) => i.id)).toEqual([ids.others]);
  });

  it("filters by name substring, case-insensitively, with % and _ taken literally", async () => {
    const deploy = await list(ownerCaller, "name=DePlOy");
    expect(deploy.items.map((i) => i.name).sort()).toEqual(["alpha deploy", "delta DEPLOY"]);
    expect((await list(ownerCaller, "name=100%25_")).items.map((i) => i.name)).toEqual([
      "beta 100%_off",
    ]);
    expect((await list(ownerCaller, "name=%25")).items.map((i) => i.name)).toEqual([
      "beta 100%_off",
    ]);
    expect((await list(ownerCaller, "name=a_p")).items).toEqual([]);
  });

  it("filters by status, creator and expiry", async () => {
    expect((await list(ownerCaller, "status=disabled")).items.map((i) => i.name)).toEqual([
      "gamma reader",
    ]);
    expect((await list(ownerCaller, "status=enabled")).total).toBe(6);
    const creator = (
      await t.db.db
        .selectFrom("api_tokens")
        .select("created_by")
        .where("id", "=", ids["eta by admin"] ?? "")
        .executeTakeFirstOrThrow()
    ).created_by;
    expect((await list(ownerCaller, `createdBy=${creator}`)).items.map((i) => i.name)).toEqual([
      "eta by admin",
    ]);
    const names = async (q: string) => (await list(ownerCaller, q)).items.map((i) => i.name).sort();
    expect(await names("expiry=expired")).toEqual(["zeta expired"]);
    expect(await names("expiry=never")).toEqual(["beta 100%_off", "epsilon", "eta by admin"]);
    expect(await names("expiry=within:7")).toEqual(["alpha deploy"]);
    expect(await names("expiry=within:30")).toEqual(["alpha deploy", "delta DEPLOY"]);
    const in3 = new Date(Date.now() + 3 * DAY).toISOString();
    const in20 = new Date(Date.now() + 20 * DAY).toISOString();
    expect(await names(`expiresBefore=${in3}`)).toEqual(["alpha deploy", "zeta expired"]);
    expect(await names(`expiresAfter=${in3}&expiresBefore=${in20}`)).toEqual(["delta DEPLOY"]);
    expect(await names(`expiresAfter=${in20}`)).toEqual(["gamma reader"]);
    const expired = (await list(ownerCaller, "expiry=expired")).items[0];
    expect(expired?.expired).toBe(true);
  });

  it.each(tokenSortFields.flatMap((f) => [f, `-${f}`]))(
    "sorts by %s, and pages match one big page",
    async (sort) => {
      const all = (await list(ownerCaller, `sort=${sort}&limit=200`)).items;
      expect(all).toHaveLength(7);
      const paged = await walk(ownerCaller, `sort=${sort}`, 2);
      expect(paged.map((i) => i.id)).toEqual(all.map((i) => i.id));
      const field = sort.replace("-", "") as keyof Item;
      const descending = sort.startsWith("-");
      // Keys never go backwards; "never" (null) has a fixed place.
      const keyOf = (item: Item) => {
        const v = item[field];
        if (field === "expiresAt")
          return v === null ? Number.POSITIVE_INFINITY : Date.parse(String(v));
        if (field === "lastUsedAt")
          return v === null ? Number.NEGATIVE_INFINITY : Date.parse(String(v));
        if (field === "createdAt") return Date.parse(String(v));
        return null;
      };
      if (field === "status") {
        const statuses = all.map((i) => i.status);
        const sorted = [...statuses].sort();
        expect(statuses).toEqual(descending ? sorted.reverse() : sorted);
        expect(new Set(statuses).size).toBe(2);
      }
      const keys = all.map(keyOf);
      if (keys[0] !== null) {
        const numeric = keys as number[];
        const sorted = [...numeric].sort((a, b) => (descending ? b - a : a - b));
        expect(numeric).toEqual(sorted);
      }
    },
  );

  it("pages expiry filters sorted by expiry through the range in order, both ways", async () => {
    // The list reads these as a range of the expiry index, not through pageByFilter.
    const walked = async (q: string) => (await walk(ownerCaller, q, 1)).map((i) => i.name);
    expect(await walked("expiry=within:30&sort=expiresAt")).toEqual([
      "alpha deploy",
      "delta DEPLOY",
    ]);
    expect(await walked("expiry=within:30&sort=-expiresAt")).toEqual([
      "delta DEPLOY",
      "alpha deploy",
    ]);
    expect(await walked("status=enabled&expiry=within:7&sort=expiresAt")).toEqual(["alpha deploy"]);
    expect(await walked("expiry=expired&sort=-expiresAt")).toEqual(["zeta expired"]);
    const in3 = new Date(Date.now() + 3 * DAY).toISOString();
    expect(await walked(`expiresAfter=${in3}&sort=expiresAt`)).toEqual([
      "delta DEPLOY",
      "gamma reader",
    ]);
    expect(await walked(`expiresAfter=${in3}&status=enabled&sort=-expiresAt`)).toEqual([
      "delta DEPLOY",
    ]);
    // One key for all three: the id breaks the tie, and each comes once.
    expect((await walked("expiry=never&sort=expiresAt")).sort()).toEqual([
      "beta 100%_off",
      "epsilon",
      "eta by admin",
    ]);
    expect((await walked("expiry=never&sort=-expiresAt")).sort()).toEqual([
      "beta 100%_off",
      "epsilon",
      "eta by admin",
    ]);
  });

  it("sorts narrowed lists by status page by page, across the change of status, both ways", async () => {
    const member = await t.createUser("member");
    const caller = await t.login(member);
    const specs = [
      { name: "ci deploy", enabled: false, expiresAt: null },
      { name: "cd deploy", enabled: true, expiresAt: null },
      { name: "backup", enabled: false, expiresAt: null },
      {
        name: "deploy bot",
        enabled: false,
        expiresAt: new Date(Date.now() + 9 * DAY).toISOString(),
      },
      {
        name: "DEPLOY ops",
        enabled: true,
        expiresAt: new Date(Date.now() + 3 * DAY).toISOString(),
      },
      { name: "reader", enabled: true, expiresAt: null },
    ];
    for (const spec of specs) await t.createToken(caller, spec);
    // Without narrowing, the status sort walks the primary key per status: the reference order.
    for (const sort of ["status", "-status"]) {
      const everything = await walk(caller, `sort=${sort}`, 100);
      expect(everything).toHaveLength(specs.length);
      const order = (keep: (item: Item) => boolean) =>
        everything.filter(keep).map((item) => item.name);
      const names = async (q: string) =>
        (await walk(caller, `${q}&sort=${sort}`, 1)).map((item) => item.name);
      const deploy = (item: Item) => item.name.toLowerCase().includes("deploy");
      expect(await names("name=deploy")).toEqual(order(deploy));
      expect(await names("name=deploy&status=disabled")).toEqual(
        order((item) => deploy(item) && item.status === "disabled"),
      );
      expect(await names("expiry=never")).toEqual(order((item) => item.expiresAt === null));
      expect(await names("status=enabled")).toEqual(order((item) => item.status === "enabled"));
      expect(await names("name=deploy&expiry=within:30")).toEqual(
        order((item) => deploy(item) && item.expiresAt !== null),
      );
    }
  });

  it("filters by last use: never used, used within N days, idle for N days, under every sort", async () => {
    const member = await t.createUser("member");
    const caller = await t.login(member);
    // name: [days since created, days since last used (null: never), enabled]
    const specs: Record<string, [number, number | null, boolean]> = {
      "used today": [100, 0.04, true],
      "used 40 days ago": [200, 40, false],
      "used 120 days ago": [300, 120, true],
      "never used, old": [100, null, true],
      "never used, new": [0, null, false],
    };
    for (const [name, [created, used, enabled]] of Object.entries(specs)) {
      const { token } = await t.createToken(caller, { name, enabled, expiresAt: null });
      await sql`update api_tokens set created_at = ${new Date(Date.now() - created * DAY)}
        where id = ${token.id}`.execute(t.db.db);
      if (used !== null)
        await t.db.db
          .updateTable("api_token_usage")
          .set({ last_used_at: new Date(Date.now() - used * DAY) })
          .where("token_id", "=", token.id)
          .execute();
    }
    const names = async (q: string) => (await walk(caller, q, 100)).map((item) => item.name).sort();
    expect(await names("lastUsed=never")).toEqual(["never used, new", "never used, old"]);
    expect(await names("lastUsed=within:7")).toEqual(["used today"]);
    expect(await names("lastUsed=within:60")).toEqual(["used 40 days ago", "used today"]);
    // Idle: not used since, and created before: a token made today is not idle yet.
    expect(await names("lastUsed=idle:30")).toEqual([
      "never used, old",
      "used 120 days ago",
      "used 40 days ago",
    ]);
    expect(await names("lastUsed=idle:90")).toEqual(["never used, old", "used 120 days ago"]);
    expect(await names("lastUsed=idle:365")).toEqual([]);
    expect(await names("lastUsed=idle:30&status=disabled")).toEqual(["used 40 days ago"]);
    expect(await names("lastUsed=never&name=OLD")).toEqual(["never used, old"]);
    expect((await list(caller, "lastUsed=idle:30")).total).toBe(3);

    // Every sort, a row per page, against the unfiltered order filtered here.
    const idle30 = new Set(["used 40 days ago", "used 120 days ago", "never used, old"]);
    for (const sort of tokenSortFields.flatMap((f) => [f, `-${f}`])) {
      const everything = (await walk(caller, `sort=${sort}`, 100)).map((item) => item.name);
      const ordered = async (q: string) =>
        (await walk(caller, `${q}&sort=${sort}`, 1)).map((item) => item.name);
      expect(await ordered("lastUsed=idle:30"), sort).toEqual(
        everything.filter((name) => idle30.has(name)),
      );
      expect(await ordered("lastUsed=never"), sort).toEqual(
        everything.filter((name) => name.startsWith("never")),
      );
      expect(await ordered("lastUsed=within:60"), sort).toEqual(
        everything.filter((name) => name === "used today" || name === "used 40 days ago"),
      );
    }
  });

  it("puts never-expiring tokens after every date ascending, first descending; never-used the other way", async () => {
    const asc = (await list(ownerCaller, "sort=expiresAt&limit=200")).items;
    expect(asc.slice(-3).every((i) => i.expiresAt === null)).toBe(true);
    const desc = (await list(ownerCaller, "sort=-expiresAt&limit=200")).items;
    expect(desc.slice(0, 3).every((i) => i.expiresAt === null)).toBe(true);
    const used = (await list(ownerCaller, "sort=-lastUsedAt&limit=200")).items;
    expect(used.slice(0, 2).map((i) => i.name)).toEqual(["epsilon", "alpha deploy"]);
    expect(used.slice(2).every((i) => i.lastUsedAt === null)).toBe(true);
  });

  it("pages with filters and an exact total", async () => {
    const first = await list(ownerCaller, "status=enabled&sort=name&limit=4");
    expect(first.items).toHaveLength(4);
    expect(first.total).toBe(6);
    const second = await list(
      ownerCaller,
      `status=enabled&sort=name&limit=4&cursor=${first.nextCursor}`,
    );
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(second.total).toBe(6);
  });
});

describe("GET /api/v1/tokens: bad input", () => {
  it("refuses bad limits, sorts, filters and dates with 400", async () => {
    for (const q of [
      "limit=0",
      "limit=201",
      "limit=x",
      "sort=secret",
      "sort=-",
      "status=maybe",
      "expiry=soon",
      "expiry=within:",
      "lastUsed=soon",
      "lastUsed=idle:",
      "lastUsed=within:123456",
      "expiresBefore=yesterday",
    ]) {
      const res = await t.request(`/api/v1/tokens?${q}`, { as: ownerCaller });
      expect(res.status, q).toBe(400);
      expect(await errorCode(res)).toBe("validation_failed");
    }
  });

  it("refuses a forged cursor, or one from another sort order, with invalid_cursor", async () => {
    const page = await list(ownerCaller, "sort=name&limit=1");
    const forged = Buffer.from(JSON.stringify({ s: "name", v: 5 })).toString("base64url");
    for (const q of [
      "cursor=garbage",
      `cursor=${forged}`,
      `sort=-name&cursor=${page.nextCursor}`,
      `sort=createdAt&cursor=${Buffer.from(JSON.stringify({ s: "createdAt", v: "not a date", i: "x" })).toString("base64url")}`,
    ]) {
      const res = await t.request(`/api/v1/tokens?${q}`, { as: ownerCaller });
      expect(res.status, q).toBe(400);
      expect(await errorCode(res)).toBe("invalid_cursor");
    }
  });
});

describe("GET /api/v1/tokens: security", () => {
  it("answers 401 without a caller and 403 to a role without token rights", async () => {
    expect((await t.request("/api/v1/tokens")).status).toBe(401);
    const guest = await t.login(await t.createUser("guest"));
    const res = await t.request("/api/v1/tokens", { as: guest });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("forbidden");
  });

  it("never includes the secret hash", async () => {
    const page = await list(auditor, "limit=200");
    expect(JSON.stringify(page)).not.toMatch(/hash/i);
  });
});

describe("GET /api/v1/tokens: large results", () => {
  /** A test app of its own with one signed-in member, for tokens inserted in bulk. */
  async function withOwnApp(
    test: (app: TestApp, member: TestUser, caller: Caller) => Promise<void>,
  ): Promise<void> {
    const app = await createTestApp();
    try {
      const member = await app.createUser("member");
      await test(app, member, await app.login(member));
    } finally {
      await app.close();
    }
  }

  it("counts exactly up to the cap and marks larger totals as estimates", () =>
    withOwnApp(async (big, member, caller) => {
      await sql`
        insert into api_tokens (id, user_id, user_name, created_by, created_by_name, name, secret_hash)
        select 'tok_' || lpad(g::text, 16, '0'), ${member.id}, ${member.username}, ${member.id},
               ${member.username}, 'bulk-' || g, sha256(g::text::bytea)
        from generate_series(1, ${COUNT_CAP + 200}) as g`.execute(big.db.db);
      const res = await big.request("/api/v1/tokens?limit=10", { as: caller });
      const page = (await res.json()) as Page;
      expect(page.totalIsEstimate).toBe(true);
      expect(page.total).toBeGreaterThan(COUNT_CAP);
      const narrow = (await (
        await big.request("/api/v1/tokens?name=bulk-12", { as: caller })
      ).json()) as Page;
      // bulk-12, bulk-120…129, bulk-1200…: an exact count below the cap.
      expect(narrow.totalIsEstimate).toBe(false);
      expect(narrow.total).toBe(1 + 10 + 1);
    }));

  it("finds name matches that lie far down the sort order, page after page", () =>
    withOwnApp(async (big, member, caller) => {
      // 3,000 newer tokens, then five older needles: the newest-first walk would have to read past
      // every newer token to fill a page. Every 100th newer token is spread-…: few, spread out.
      await sql`
        insert into api_tokens (id, user_id, user_name, created_by, created_by_name, name, secret_hash, created_at)
        select 'tok_' || lpad(g::text, 16, '0'), ${member.id}, ${member.username}, ${member.id},
               ${member.username},
               case when g > 3000 then 'needle-' || g
                    when g % 100 = 0 then 'spread-' || g
                    else 'filler-' || g end,
               sha256(g::text::bytea), now() - (g || ' minutes')::interval
        from generate_series(1, 3005) as g`.execute(big.db.db);
      const expected = [3001, 3002, 3003, 3004, 3005].map((g) => `needle-${g}`);
      const found = async (query: string, limit: number) =>
        (await walk(caller, query, limit, big)).map((item) => item.name);
      expect(await found("name=NEEDLE", 2)).toEqual(expected);
      expect(await found("name=needle&sort=createdAt", 2)).toEqual([...expected].reverse());
      expect(await found("name=needle&sort=-name", 50)).toEqual([...expected].reverse());
      // Never used: the ties are broken by id, descending here.
      expect(await found("name=needle&sort=-lastUsedAt", 2)).toEqual([...expected].reverse());
      const spread = Array.from({ length: 30 }, (_, i) => `spread-${(i + 1) * 100}`);
      expect(await found("name=spread", 4)).toEqual(spread);
      expect(await found("name=spread&sort=-createdAt", 7)).toEqual(spread);
      expect(await found("name=spread&sort=lastUsedAt", 4)).toEqual(spread);
      // A common name still pages through every match in order.
      const fillers = await found("name=filler-2&sort=name", 100);
      expect(fillers).toEqual([...fillers].sort());
      // filler-2, -20…29, -200…299 and -2000…2999, less the hundreds (spread-…).
      expect(fillers).toHaveLength(1 + 10 + 99 + 990);
    }));

  it("finds an expiry window's tokens that lie far down the sort order, page after page", () =>
    withOwnApp(async (big, member, caller) => {
      // 3,000 newer tokens expiring in 100 days or never, then five older ones in 10 days.
      await sql`
        insert into api_tokens (id, user_id, user_name, created_by, created_by_name, name, secret_hash, created_at, expires_at)
        select 'tok_' || lpad(g::text, 16, '0'), ${member.id}, ${member.username}, ${member.id},
               ${member.username}, 'window-' || g, sha256(g::text::bytea),
               now() - (g || ' minutes')::interval,
               case when g > 3000 then now() + interval '10 days'
                    when g % 2 = 0 then now() + interval '100 days' end
        from generate_series(1, 3005) as g`.execute(big.db.db);
      const expected = [3001, 3002, 3003, 3004, 3005].map((g) => `window-${g}`);
      const day = 86_400_000;
      const after = new Date(Date.now() + 9 * day).toISOString();
      const before = new Date(Date.now() + 11 * day).toISOString();
      const found = async (query: string, limit: number) =>
        (await walk(caller, query, limit, big)).map((item) => item.name);
      const range = `expiresAfter=${after}&expiresBefore=${before}`;
      expect(await found(range, 2)).toEqual(expected);
      expect(await found(`${range}&sort=createdAt`, 2)).toEqual([...expected].reverse());
      expect(await found("expiry=within:30", 2)).toEqual(expected);
      expect(await found("expiry=within:30&sort=-name", 3)).toEqual([...expected].reverse());
      expect(await found("expiry=within:30&sort=-lastUsedAt", 2)).toEqual([...expected].reverse());
      expect(await found(`${range}&name=window-300`, 2)).toEqual(expected);
    }));

  it("finds tokens by last use that lie far down the sort order, page after page", () =>
    withOwnApp(async (big, member, caller) => {
      // 3,000 tokens never used, named after five used an hour ago and before five idle ones
      // (used a year ago): more never-used matches than the count cap, and few matches of the
      // other windows at either end of the name order.
      await sql`
        insert into api_tokens (id, user_id, user_name, created_by, created_by_name, name, secret_hash, created_at)
        select 'tok_' || lpad(g::text, 16, '0'), ${member.id}, ${member.username}, ${member.id},
               ${member.username},
               case when g <= 5 then 'a-used-' || g when g > 3005 then 'z-idle-' || g
                    else 'm-never-' || g end,
               sha256(g::text::bytea), now() - interval '400 days'
        from generate_series(1, 3010) as g`.execute(big.db.db);
      await sql`
        update api_token_usage set last_used_at = now() - case when g <= 5 then interval '1 hour'
                                                              else interval '365 days' end
        from generate_series(1, 3010) as g
        where token_id = 'tok_' || lpad(g::text, 16, '0') and (g <= 5 or g > 3005)`.execute(
        big.db.db,
      );
      const found = async (query: string, limit: number) =>
        (await walk(caller, query, limit, big)).map((item) => item.name);
      const used = [1, 2, 3, 4, 5].map((g) => `a-used-${g}`);
      const idle = [3006, 3007, 3008, 3009, 3010].map((g) => `z-idle-${g}`);
      expect(await found("lastUsed=within:1&sort=-name", 2)).toEqual([...used].reverse());
      expect(await found("lastUsed=within:1&sort=-lastUsedAt", 2)).toEqual([...used].reverse());
      // Idle for 90 days: the year-old uses and every never-used token; the first page of them by
      // name, newest use first (never used last), and every one of them by last use.
      const idleFirst = await list(caller, "lastUsed=idle:90&sort=-name&limit=5", big);
      expect(idleFirst.items.map((item) => item.name)).toEqual([...idle].reverse());
      expect(idleFirst.totalIsEstimate).toBe(true);
      const byUse = await found("lastUsed=idle:90&sort=-lastUsedAt", 200);
      expect(byUse).toHaveLength(3005);
      expect(byUse.slice(0, 5)).toEqual([...idle].reverse());
      // Never used, by last use both ways: a range of the sort index, ties broken by id.
      const never = Array.from({ length: 3000 }, (_, i) => `m-never-${i + 6}`);
      expect(await found("lastUsed=never&sort=lastUsedAt", 200)).toEqual(never);
      expect(await found("lastUsed=never&sort=-lastUsedAt", 200)).toEqual([...never].reverse());
      expect(await found("lastUsed=never&sort=name&name=never-30", 3)).toEqual(
        never.filter((name) => name.includes("never-30")).sort(),
      );
    }));

  it("finds expiring tokens used longer ago than many others, sorted by last use, page after page", () =>
    withOwnApp(async (big, member, caller) => {
      // Newest use first: 2,500 tokens that expire in 100 days, 60 that expire in 10 days, 2,500
      // more in 100 days, then 1,440 more in 10 days. More matches than the count cap (an
      // estimated total), none in the first 2,000 rows of the last-use order, nor in the 2,000
      // after the 60th: those pages walk the usage order against the matching ids. The last
      // page, short of a full one, is collected instead.
      const matches = (g: number) => (g > 2500 && g <= 2560) || g > 5060;
      await sql`
        insert into api_tokens (id, user_id, user_name, created_by, created_by_name, name, secret_hash, expires_at)
        select 'tok_' || lpad(g::text, 16, '0'), ${member.id}, ${member.username}, ${member.id},
               ${member.username}, 'used-' || g, sha256(g::text::bytea),
               now() + case when g between 2501 and 2560 or g > 5060 then interval '10 days'
                            else interval '100 days' end
        from generate_series(1, 6500) as g`.execute(big.db.db);
      // Three tokens share each last-use time, so ties are broken by id across page boundaries.
      await sql`
        update api_token_usage set last_used_at = date_trunc('minute', now()) - (((g + 2) / 3) || ' minutes')::interval
        from generate_series(1, 6500) as g
        where token_id = 'tok_' || lpad(g::text, 16, '0')`.execute(big.db.db);
      const expected = Array.from({ length: 6500 }, (_, i) => i + 1)
        .filter(matches)
        // Newest use first; within a shared minute, the larger id first.
        .sort((a, b) => Math.ceil(a / 3) - Math.ceil(b / 3) || b - a)
        .map((g) => `used-${g}`);
      // 48 rows and the one after them end inside a three that share a minute.
      const items = await walk(caller, "expiry=within:30&sort=-lastUsedAt", 48, big);
      expect(items.map((item) => item.name)).toEqual(expected);
      const first = await list(caller, "expiry=within:30&sort=-lastUsedAt&limit=1", big);
      expect(first.totalIsEstimate).toBe(true);
      // Ascending, the same tokens come first: the probe finds them.
      const ascending = await walk(caller, "expiry=within:30&sort=lastUsedAt", 100, big);
      expect(ascending.map((item) => item.name)).toEqual([...expected].reverse());
    }));
});
