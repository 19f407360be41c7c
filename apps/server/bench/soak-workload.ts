// The mixed workload of `pnpm soak`. Each worker repeatedly picks a weighted operation; every
// answer is checked against what the soak knows the server must say, and anything else counts as
// an error. Tokens are checked out of a shared pool for the length of an operation, so no worker
// uses a token that another is disabling, regenerating or deleting: every answer is predictable.
//
// Deliberately refused secrets (the old one after a regenerate, a deleted token's) count as
// failures in the server's per-address token limiter (20 free in 10 minutes, then back-off for
// every token request from that address). They are sent from addresses of their own through
// X-Forwarded-For (the server runs with KEYWARD_TRUST_PROXY=1), a new one every
// REFUSALS_PER_ADDRESS refusals, so the valid traffic from 127.0.0.1 is never slowed.
// SOAK_SHARED_ADDRESS=1 sends them from 127.0.0.1 like everything else, to show the limiter trip.
import type { Recorder } from "./soak-stats.ts";

export interface SoakToken {
  id: string;
  secret: string;
  userId: string;
  name: string;
  scopes: string[];
  expiresAt: string | null;
}

interface Session {
  cookie: string;
  csrf: string;
}

const REFUSALS_PER_ADDRESS = 10;
const TIMEOUT_MS = 15_000;
const DAY = 86_400_000;

class OpFailed extends Error {}

export class Workload {
  /** Tokens no operation is using right now. */
  private readonly free: SoakToken[] = [];
  private checkedOut = 0;
  private nameCounter = 0;
  private refusalAddress = 0;
  private refusalsFromAddress = 0;
  private refusalCount = 0;
  readonly target: number;
  private readonly sharedAddress = Boolean(process.env.SOAK_SHARED_ADDRESS);

  constructor(
    private readonly base: string,
    private readonly session: Session,
    readonly userIds: string[],
    private readonly rec: Recorder,
    options: { targetTokens: number },
  ) {
    this.target = options.targetTokens;
  }

  /** Deliberately refused secrets sent, and from how many addresses. */
  get refusals(): { sent: number; addresses: number } {
    return this.sharedAddress
      ? { sent: this.refusalCount, addresses: 1 }
      : { sent: this.refusalCount, addresses: this.refusalAddress + 1 };
  }

  get poolSize(): number {
    return this.free.length + this.checkedOut;
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async call(
    kind: string,
    expect: number,
    method: string,
    path: string,
    auth: { bearer: string } | "session" | "none",
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (auth === "session") {
      headers.cookie = this.session.cookie;
      if (method !== "GET") headers["x-csrf-token"] = this.session.csrf;
    } else if (auth !== "none") {
      headers.authorization = `Bearer ${auth.bearer}`;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const t0 = performance.now();
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.rec.error(
        `${kind}: request failed (${name.split(":")[0]})`,
        `${method} ${path}: ${name}`,
      );
      // A server that is gone or going refuses at once: do not spin.
      await new Promise((r) => setTimeout(r, 250));
      throw new OpFailed();
    }
    this.rec.time(kind, performance.now() - t0);
    if (status !== expect) {
      const code = /"code":"([a-z_]+)"/.exec(text)?.[1];
      this.rec.error(
        `${kind}: HTTP ${status}${code ? ` ${code}` : ""} (expected ${expect})`,
        `${method} ${path.slice(0, 120)} → ${text}`,
      );
      throw new OpFailed();
    }
    return text ? JSON.parse(text) : undefined;
  }

  private check(kind: string, ok: boolean, what: string, detail: unknown): void {
    if (ok) return;
    this.rec.error(`${kind}: ${what}`, JSON.stringify(detail));
    throw new OpFailed();
  }

  /** Headers for a request that must be refused as unknown (see the file header). */
  private refusalHeaders(): Record<string, string> {
    this.refusalCount++;
    if (this.sharedAddress) return {};
    if (++this.refusalsFromAddress > REFUSALS_PER_ADDRESS) {
      this.refusalAddress++;
      this.refusalsFromAddress = 1;
    }
    const n = this.refusalAddress;
    return { "x-forwarded-for": `10.77.${(n >> 8) & 255}.${n & 255}` };
  }

  // ---- the token pool --------------------------------------------------------------------------

  private checkout(n: number): SoakToken[] | undefined {
    if (this.free.length < n) return undefined;
    const out: SoakToken[] = [];
    for (let i = 0; i < n; i++) {
      const at = Math.floor(Math.random() * this.free.length);
      const last = this.free.pop() as SoakToken;
      if (at < this.free.length) {
        out.push(this.free[at] as SoakToken);
        this.free[at] = last;
      } else {
        out.push(last);
      }
    }
    this.checkedOut += n;
    return out;
  }

  private giveBack(tokens: SoakToken[]): void {
    this.checkedOut -= tokens.length;
    this.free.push(...tokens);
  }

  /** Forget tokens (deleted, or their state is unknown after an error). */
  private drop(tokens: SoakToken[]): void {
    this.checkedOut -= tokens.length;
  }

  /** Runs an operation on checked-out tokens; after a failure they leave the pool. */
  private async withTokens(
    n: number,
    fn: (tokens: SoakToken[]) => Promise<"keep" | "deleted">,
  ): Promise<void> {
    const tokens = this.checkout(n);
    if (!tokens) return this.create();
    try {
      const outcome = await fn(tokens);
      if (outcome === "keep") this.giveBack(tokens);
      else this.drop(tokens);
    } catch (error) {
      this.drop(tokens);
      if (!(error instanceof OpFailed)) throw error;
    }
  }

  /** An operation on one checked-out token that leaves it in the pool. */
  private withToken(fn: (token: SoakToken) => Promise<void>): Promise<void> {
    return this.withTokens(1, async ([token]) => {
      await fn(token as SoakToken);
      return "keep";
    });
  }

  // ---- operations ------------------------------------------------------------------------------

  private pickUser(): string {
    return this.userIds[Math.floor(Math.random() * this.userIds.length)] as string;
  }

  async create(): Promise<void> {
    try {
      const name = `soak-${++this.nameCounter}`;
      const roll = Math.random();
      const expiresAt =
        roll < 0.4
          ? null
          : new Date(Date.now() + (roll < 0.7 ? 7 : 90) * DAY + Math.random() * DAY).toISOString();
      const scopes = [["all"], ["token:*"], ["token:read"]][this.nameCounter % 3] as string[];
      const userId = this.pickUser();
      const created = (await this.call("create", 201, "POST", "/api/v1/tokens", "session", {
        name,
        userId,
        description: "soak",
        expiresAt,
        scopes,
      })) as { token: { id: string; userId: string; name: string }; secret: string };
      this.check(
        "create",
        created.secret.startsWith("kw_") && created.token.userId === userId,
        "unexpected answer",
        created,
      );
      const token: SoakToken = {
        id: created.token.id,
        secret: created.secret,
        userId,
        name,
        scopes,
        expiresAt,
      };
      // A new token works at once.
      await this.me(token);
      this.free.push(token);
    } catch (error) {
      if (!(error instanceof OpFailed)) throw error;
    }
  }

  private async me(token: SoakToken): Promise<void> {
    const me = (await this.call("me", 200, "GET", "/api/v1/me", { bearer: token.secret })) as {
      id: string;
    };
    this.check("me", me.id === token.userId, "wrong user", { me, token: token.id });
  }

  private async verify(token: SoakToken): Promise<void> {
    const scope = Math.random() < 0.7 ? "token:read" : "token:delete";
    const covered =
      scope === "token:read" || token.scopes.includes("all") || token.scopes.includes("token:*");
    const answer = (await this.call("verify", 200, "POST", "/api/v1/tokens/verify", "none", {
      token: token.secret,
      scope,
    })) as { valid: boolean; reason?: string; tokenId?: string };
    this.check(
      "verify",
      covered
        ? answer.valid && answer.tokenId === token.id
        : !answer.valid && answer.reason === "insufficient_scope",
      `wrong verdict for scope ${scope}`,
      { answer, scopes: token.scopes },
    );
  }

  /** The secret must be refused as unknown, by verify and by a Bearer request. */
  private async refused(kind: string, secret: string, reason: string): Promise<void> {
    const answer = (await this.call(
      `verify (${kind})`,
      200,
      "POST",
      "/api/v1/tokens/verify",
      "none",
      { token: secret },
      this.refusalHeaders(),
    )) as { valid: boolean; reason?: string };
    this.check(
      `verify (${kind})`,
      !answer.valid && answer.reason === reason,
      `${kind} secret not refused as ${reason}`,
      answer,
    );
    if (reason === "unknown") {
      await this.call(
        `me (${kind})`,
        401,
        "GET",
        "/api/v1/me",
        { bearer: secret },
        undefined,
        this.refusalHeaders(),
      );
    }
  }

  private async list(): Promise<void> {
    const now = Date.now();
    const users = [this.pickUser(), this.pickUser()];
    const variants: [string, (t: ListedToken) => boolean][] = [
      ["limit=50", () => true],
      [`userId=${users[0]}`, (t) => t.userId === users[0]],
      [`userId=${users[0]}&userId=${users[1]}&sort=name`, (t) => users.includes(t.userId)],
      ["status=enabled&sort=-lastUsedAt", (t) => t.status === "enabled"],
      ["status=disabled&sort=status", (t) => t.status === "disabled"],
      ["expiry=never&sort=userName", (t) => t.expiresAt === null],
      [
        "expiry=within:30&sort=expiresAt",
        (t) => t.expiresAt !== null && Date.parse(t.expiresAt) <= now + 31 * DAY,
      ],
      [
        `expiresAfter=${new Date(now + 30 * DAY).toISOString()}&expiresBefore=${new Date(now + 120 * DAY).toISOString()}`,
        (t) =>
          t.expiresAt !== null &&
          Date.parse(t.expiresAt) >= now + 30 * DAY - 60_000 &&
          Date.parse(t.expiresAt) <= now + 120 * DAY + 60_000,
      ],
      [`name=soak-${1 + Math.floor(Math.random() * 9)}`, () => true],
      ["sort=-createdByName&limit=20", () => true],
    ];
    const [query, matches] = variants[Math.floor(Math.random() * variants.length)] as [
      string,
      (t: ListedToken) => boolean,
    ];
    const name = /name=(soak-\d)/.exec(query)?.[1];
    const page = (await this.call("list", 200, "GET", `/api/v1/tokens?${query}`, "session")) as {
      items: ListedToken[];
      total: number;
    };
    const wrong = page.items.find((t) => !matches(t) || (name && !t.name.includes(name)));
    this.check("list", !wrong, `an item does not match ${query.split("&")[0]}`, wrong);
  }

  /** Pages by creation time (immutable) and checks order and no repeats across pages. */
  private async listPages(): Promise<void> {
    const sort = Math.random() < 0.5 ? "createdAt" : "-createdAt";
    const seen = new Set<string>();
    let cursor: string | null = null;
    let previous: ListedToken | undefined;
    for (let pageNo = 0; pageNo < 4; pageNo++) {
      const page = (await this.call(
        "list (cursor)",
        200,
        "GET",
        `/api/v1/tokens?limit=25&sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        "session",
      )) as { items: ListedToken[]; nextCursor: string | null };
      for (const t of page.items) {
        this.check("list (cursor)", !seen.has(t.id), "a token on two pages", t.id);
        seen.add(t.id);
        if (previous) {
          const a = Date.parse(previous.createdAt);
          const b = Date.parse(t.createdAt);
          this.check(
            "list (cursor)",
            sort === "createdAt" ? a <= b : a >= b,
            `out of order for ${sort}`,
            { previous: previous.createdAt, next: t.createdAt },
          );
        }
        previous = t;
      }
      cursor = page.nextCursor;
      if (!cursor) break;
    }
  }

  /** A member's own token lists the member's own tokens. */
  private async listOwn(token: SoakToken): Promise<void> {
    const page = (await this.call("list (bearer)", 200, "GET", "/api/v1/tokens?limit=20", {
      bearer: token.secret,
    })) as { items: ListedToken[] };
    const wrong = page.items.find((t) => t.userId !== token.userId);
    this.check("list (bearer)", !wrong, "another user's token listed", wrong?.id);
    this.check("list (bearer)", page.items.length > 0, "own token missing from own list", token.id);
  }

  private async regenerate(token: SoakToken): Promise<void> {
    const old = token.secret;
    const answer = (await this.call(
      "regenerate",
      200,
      "POST",
      `/api/v1/tokens/${token.id}/regenerate`,
      "session",
    )) as { token: { id: string }; secret: string };
    this.check(
      "regenerate",
      answer.token.id === token.id && answer.secret !== old,
      "unexpected answer",
      answer.token,
    );
    token.secret = answer.secret;
    await this.me(token);
    await this.refused("old secret", old, "unknown");
  }

  private async patch(token: SoakToken): Promise<void> {
    const name = `${token.name.replace(/-r\d+$/, "")}-r${++this.nameCounter}`;
    const expiresAt = Math.random() < 0.5 ? null : new Date(Date.now() + 60 * DAY).toISOString();
    const scopes = [["all"], ["token:*"], ["token:read"]][this.nameCounter % 3] as string[];
    const answer = (await this.call(
      "patch",
      200,
      "PATCH",
      `/api/v1/tokens/${token.id}`,
      "session",
      {
        name,
        description: `edited ${new Date().toISOString()}`,
        expiresAt,
        scopes,
      },
    )) as ListedToken;
    this.check(
      "patch",
      answer.name === name &&
        answer.scopes.join() === scopes.join() &&
        (answer.expiresAt === null) === (expiresAt === null),
      "the answer does not show the edit",
      answer,
    );
    Object.assign(token, { name, scopes, expiresAt });
    await this.verify(token);
  }

  private async bulkToggle(tokens: SoakToken[]): Promise<void> {
    const ids = tokens.map((t) => t.id);
    for (const action of ["disable", "enable"] as const) {
      const answer = (await this.call("bulk", 200, "POST", "/api/v1/tokens/bulk", "session", {
        action,
        ids,
      })) as { changed: string[] };
      this.check(
        "bulk",
        answer.changed.length === ids.length,
        `bulk ${action} did not change every token`,
        answer,
      );
      const probe = tokens[0] as SoakToken;
      if (action === "disable") await this.refused("disabled", probe.secret, "disabled");
      else await this.me(probe);
    }
  }

  private async bulkDelete(tokens: SoakToken[]): Promise<void> {
    const answer = (await this.call("bulk", 200, "POST", "/api/v1/tokens/bulk", "session", {
      action: "delete",
      ids: tokens.map((t) => t.id),
    })) as { changed: string[] };
    this.check("bulk", answer.changed.length === tokens.length, "bulk delete missed", answer);
    await this.refused("deleted", (tokens[0] as SoakToken).secret, "unknown");
  }

  private async deleteOne(token: SoakToken): Promise<void> {
    await this.call("delete", 204, "DELETE", `/api/v1/tokens/${token.id}`, "session");
    await this.call("get", 404, "GET", `/api/v1/tokens/${token.id}`, "session");
  }

  private async getOne(token: SoakToken): Promise<void> {
    const got = (await this.call(
      "get",
      200,
      "GET",
      `/api/v1/tokens/${token.id}`,
      "session",
    )) as ListedToken;
    this.check("get", got.name === token.name && got.status === "enabled", "stale token", got);
  }

  private async audit(): Promise<void> {
    await this.call("audit", 200, "GET", "/api/v1/audit?limit=50", "session");
  }

  /** One weighted operation. Creation and deletion keep the pool near its target size. */
  async step(): Promise<void> {
    const below = this.poolSize < this.target;
    const ops: [number, () => Promise<void>][] = [
      [30, () => this.withToken((t) => this.me(t))],
      [22, () => this.withToken((t) => this.verify(t))],
      [8, () => this.list()],
      [3, () => this.listPages()],
      [4, () => this.withToken((t) => this.listOwn(t))],
      [4, () => this.withToken((t) => this.getOne(t))],
      [1, () => this.audit()],
      [below ? 9 : 3, () => this.create()],
      [4, () => this.withToken((t) => this.regenerate(t))],
      [5, () => this.withToken((t) => this.patch(t))],
      [
        3,
        () =>
          this.withTokens(2 + Math.floor(Math.random() * 4), async (ts) => {
            await this.bulkToggle(ts);
            return "keep";
          }),
      ],
      [
        below ? 0 : 1,
        () =>
          this.withTokens(2 + Math.floor(Math.random() * 3), async (ts) => {
            await this.bulkDelete(ts);
            return "deleted";
          }),
      ],
      [
        below ? 0 : 2,
        () =>
          this.withTokens(1, async ([t]) => {
            await this.deleteOne(t as SoakToken);
            return "deleted";
          }),
      ],
    ];
    const total = ops.reduce((s, [w]) => s + w, 0);
    let roll = Math.random() * total;
    for (const [weight, op] of ops) {
      roll -= weight;
      if (roll < 0) {
        try {
          await op();
        } catch (error) {
          if (!(error instanceof OpFailed)) throw error;
        }
        return;
      }
    }
  }
}

interface ListedToken {
  id: string;
  name: string;
  userId: string;
  status: string;
  expiresAt: string | null;
  createdAt: string;
  scopes: string[];
}
