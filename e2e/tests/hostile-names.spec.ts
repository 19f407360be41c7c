// Hostile names in the browser (issue #7, parts 4 and 5): names, descriptions, display names,
// role names and audit entries that carry HTML and script render as the text they are, on every
// screen that shows them, and every page is served with the security headers.
import type { Page } from "@playwright/test";
import { type ApiClient, apiSession, createToken, createUser, uniqueTag } from "../support/api.ts";
import { expect, shot, signIn, test } from "../support/fixtures.ts";
import { filters, tokenNames } from "../support/tokens-page.ts";

let owner: ApiClient;

test.beforeAll(async () => {
  owner = await apiSession();
});

test.afterAll(async () => {
  await owner.dispose();
});

/** Markup that would do something if a screen rendered it as HTML instead of text. */
const payloads = [
  `<img src=x onerror="window.__xss='img'">`,
  `<script>window.__xss='script'</script>`,
  `"><svg onload="window.__xss='svg'">`,
  `<b>bold</b> &amp; <i>it</i>`,
  `<a href="javascript:window.__xss='href'">link</a>`,
  `{{7*7}} \${7*7} '; DROP TABLE api_tokens; --`,
];

/**
 * Watches a page for any sign that markup ran: dialogs, uncaught errors, a CSP violation (the
 * policy would block an injected inline handler, so a violation means one got into the DOM).
 */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** Nothing from the payloads became an element, and nothing set the marker. */
async function expectNoInjection(page: Page, problems: string[]) {
  const injected = await page.evaluate(() => ({
    marker: (window as unknown as { __xss?: string }).__xss ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
    svgs: document.querySelectorAll("svg[onload]").length,
    scripts: [...document.scripts].filter((s) => s.textContent?.includes("__xss")).length,
    bolds: [...document.querySelectorAll("b")].filter((b) => b.textContent === "bold").length,
    links: document.querySelectorAll('a[href^="javascript:"]').length,
    handlers: [...document.querySelectorAll("*")].filter((el) =>
      [...el.attributes].some((a) => a.name.startsWith("on")),
    ).length,
  }));
  expect(injected).toEqual({
    marker: null,
    images: 0,
    svgs: 0,
    scripts: 0,
    bolds: 0,
    links: 0,
    handlers: 0,
  });
  expect(problems).toEqual([]);
}

test("names with HTML render as text on the token, user, role and audit screens", async ({
  page,
}) => {
  const tag = uniqueTag();
  const problems = watch(page);

  // A role, a user and tokens whose names and descriptions are markup.
  const roleName = `<img src=x onerror="window.__xss='role'"> ${tag}`;
  const role = await owner.post<{ id: string }>("/roles", {
    name: roleName,
    description: `<script>window.__xss='roledesc'</script>`,
    permissions: ["tokens.own.manage"],
  });
  const displayName = `<svg onload="window.__xss='user'"> ${tag}`;
  const { user } = await createUser(owner, {
    username: `hostile-${tag}`,
    displayName,
    role: "member",
  });
  await owner.patch(`/users/${user.id}`, { roleId: role.id });
  const names = payloads.map((p) => `${p} ${tag}`);
  const tokens = [];
  for (const name of names)
    tokens.push(
      await createToken(owner, {
        name,
        userId: user.id,
        description: `<img src=x onerror="window.__xss='desc'"> ${name}`,
        expiresAt: null,
      }),
    );
  // A failed sign-in whose username is markup: a name that matches no account is not recorded
  // (it may be a password typed into the wrong box), so the markup never reaches the audit log.
  const auditName = `<img src=x onerror="window.__xss='audit'">${tag}`;
  const failed = await page.request.post("/api/v1/auth/login", {
    data: { username: auditName, password: "not-the-password" },
  });
  expect(failed.status()).toBe(401);

  await signIn(page);

  // Administration → API tokens: every name is in the table, as text.
  await page.goto(`/admin/tokens?name=${tag}&sort=name`);
  await expect(tokenNames(page)).toHaveCount(names.length);
  for (const name of names) await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expectNoInjection(page, problems);
  await shot(page, "hostile-names-tokens");

  // Markup typed into the name filter is searched for as text (and kept in the URL): it finds
  // exactly the token whose name contains it.
  const filter = payloads[0] as string;
  await filters(page).getByLabel("Name").fill(filter);
  await expect(tokenNames(page)).toHaveText([names[0] as string]);
  await page.reload();
  await expect(filters(page).getByLabel("Name")).toHaveValue(filter);
  await expect(tokenNames(page)).toHaveText([names[0] as string]);
  await expectNoInjection(page, problems);

  // The edit page of one token: name and description in their fields, name in the heading.
  const first = tokens[0];
  if (!first) throw new Error("no token");
  await page.goto(`/admin/tokens/${first.token.id}`);
  await expect(page.getByRole("textbox", { name: /^Name/ })).toHaveValue(first.token.name);
  await expect(page.getByRole("textbox", { name: /^Description/ })).toHaveValue(
    first.token.description,
  );
  await expect(page.getByRole("heading", { level: 1 })).toContainText(first.token.name);
  await expectNoInjection(page, problems);
  await shot(page, "hostile-names-token-edit");

  // Users: the display name in the list and on the user's page, the role name beside it.
  await page.goto(`/admin/users?q=${tag}`);
  const row = page.getByRole("table").locator("tbody tr").filter({ hasText: displayName });
  await expect(row.getByText(displayName, { exact: true })).toBeVisible();
  await expect(row.getByText(roleName, { exact: true })).toBeVisible();
  // The role filter offers the role by its name, as text.
  await expect(page.locator("option", { hasText: roleName })).toHaveText(roleName);
  await expectNoInjection(page, problems);
  await shot(page, "hostile-names-users");
  await page.goto(`/admin/users/${user.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(displayName);
  await expectNoInjection(page, problems);

  // Roles: the name and the description.
  await page.goto("/admin/roles");
  await expect(page.getByRole("main").getByText(roleName, { exact: true }).first()).toBeVisible();
  await expectNoInjection(page, problems);
  await shot(page, "hostile-names-roles");

  // The audit log: token names as targets, as text; the failed sign-in without the name typed.
  const log = page.getByRole("main");
  await page.goto("/admin/audit?action=auth.login_failed");
  await expect(log.getByText("(unknown username)").first()).toBeVisible();
  await expect(log.getByText(auditName)).toHaveCount(0);
  await page.goto("/admin/audit");
  await expect(log.getByText(names.at(-1) as string).first()).toBeVisible();
  await expectNoInjection(page, problems);
  await shot(page, "hostile-names-audit");
});

test("every page is served with the security headers", async ({ page }) => {
  const pages = [
    "/sign-in",
    "/",
    "/admin/tokens",
    "/admin/tokens/tok_0000000000000000",
    "/admin/users",
    "/admin/users/usr_nobody",
    "/admin/roles",
    "/admin/audit",
    "/admin/settings",
    "/profile",
    "/profile/tokens",
    "/profile/sessions",
    "/cli-auth",
    "/no/such/page",
  ];
  await signIn(page);
  for (const path of pages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp.match(/script-src[^;]*/)?.[0], path).toBe("script-src 'self'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("no-referrer");
    expect(headers["x-frame-options"], path).toBe("DENY");
  }
  // The assets the pages load carry them too.
  const html = await (await page.request.get("/sign-in")).text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeTruthy();
  const script = await page.request.get(asset as string);
  expect(script.headers()["x-content-type-options"]).toBe("nosniff");
  expect(script.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});
