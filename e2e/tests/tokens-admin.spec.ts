import {
  type ApiClient,
  apiSession,
  bearerContext,
  createToken,
  createUser,
  daysFromNow,
  getTokens,
  uniqueTag,
} from "../support/api.ts";
import { OWNER } from "../support/constants.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";
import {
  expectTokenNames,
  filters,
  pickUser,
  toast,
  tokenNames,
  tokenTable,
} from "../support/tokens-page.ts";

function localDate(daysAhead: number): string {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

let owner: ApiClient;

test.beforeAll(async () => {
  owner = await apiSession();
});

test.afterAll(async () => {
  await owner.dispose();
});

test.describe("Administration → API tokens", () => {
  test("filters by name, users, created by, status and expiry, alone and combined, from the URL", async ({
    page,
  }) => {
    const tag = uniqueTag();
    const { user: alice } = await createUser(owner, {
      username: `alice-${tag}`,
      displayName: `Alice ${tag}`,
      role: "member",
    });
    const { user: bob, account: bobAccount } = await createUser(owner, {
      username: `bob-${tag}`,
      displayName: `Bob ${tag}`,
      role: "member",
    });
    const p = `f-${tag}`;
    await createToken(owner, { name: `${p}-deploy`, userId: alice.id, expiresAt: daysFromNow(3) });
    await createToken(owner, {
      name: `${p}-backup`,
      userId: alice.id,
      expiresAt: null,
      enabled: false,
    });
    await createToken(owner, { name: `${p}-ci`, userId: bob.id, expiresAt: daysFromNow(45) });
    const bobSession = await apiSession(bobAccount);
    await createToken(bobSession, { name: `${p}-cli`, expiresAt: null });
    await bobSession.dispose();
    // Tokens cannot be created in the past; this one expires while the test signs in.
    const oldExpiry = Date.now() + 1500;
    await createToken(owner, {
      name: `${p}-old`,
      userId: alice.id,
      expiresAt: new Date(oldExpiry).toISOString(),
    });

    await signIn(page);
    // On a fast machine signing in takes less than that: wait until it has really expired.
    const untilExpired = oldExpiry + 250 - Date.now();
    if (untilExpired > 0) await page.waitForTimeout(untilExpired);
    await page.goto(`/admin/tokens?name=${p}&sort=name`);
    await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
    await expectTokenNames(page, [`${p}-backup`, `${p}-ci`, `${p}-cli`, `${p}-deploy`, `${p}-old`]);
    await expect(page.getByText("5 tokens match")).toBeVisible();
    // The expired and the soon-expiring tokens are marked as such.
    const oldRow = tokenTable(page).getByRole("row", { name: new RegExp(`${p}-old`) });
    await expect(oldRow.getByText("Expired")).toBeVisible();
    const deployRow = tokenTable(page).getByRole("row", { name: new RegExp(`${p}-deploy`) });
    await expect(deployRow.getByText(/^in [23] days$/)).toBeVisible();
    await expect(
      tokenTable(page)
        .getByRole("row", { name: new RegExp(`${p}-backup`) })
        .getByText("Never", { exact: true }),
    ).toBeVisible();
    await expectAccessible(page);
    await shot(page, "admin-tokens-filtered");

    // Name: typing narrows the list and lands in the URL.
    const panel = filters(page);
    await panel.getByLabel("Name").fill(`${p}-c`);
    await expectTokenNames(page, [`${p}-ci`, `${p}-cli`]);
    await expect(page).toHaveURL(new RegExp(`name=${p}-c`));
    await panel.getByLabel("Name").fill(p);
    await expectTokenNames(page, [`${p}-backup`, `${p}-ci`, `${p}-cli`, `${p}-deploy`, `${p}-old`]);

    // Users (type-ahead).
    await pickUser(panel, "Users", `alice-${tag}`, new RegExp(`Alice ${tag}`));
    await expectTokenNames(page, [`${p}-backup`, `${p}-deploy`, `${p}-old`]);
    await expect(page).toHaveURL(new RegExp(`userId=${alice.id}`));

    // Combined with status.
    await panel.getByLabel("Status").selectOption("disabled");
    await expectTokenNames(page, [`${p}-backup`]);
    await expect(page).toHaveURL(/status=disabled/);
    await shot(page, "admin-tokens-filters-combined");

    // Back undoes the last filter; forward redoes it.
    await page.goBack();
    await expectTokenNames(page, [`${p}-backup`, `${p}-deploy`, `${p}-old`]);
    await page.goForward();
    await expectTokenNames(page, [`${p}-backup`]);
    await panel.getByLabel("Status").selectOption("enabled");
    await expectTokenNames(page, [`${p}-deploy`, `${p}-old`]);
    await panel.getByLabel("Status").selectOption("");

    // Expiry: expired, within N days, never.
    await panel.getByLabel("Expiry").selectOption("expired");
    await expectTokenNames(page, [`${p}-old`]);
    await panel.getByLabel("Expiry").selectOption("within");
    await panel.getByLabel("Within").selectOption("7");
    await expectTokenNames(page, [`${p}-deploy`]);
    await expect(page).toHaveURL(/expiry=within%3A7|expiry=within:7/);
    await panel.getByLabel("Expiry").selectOption("never");
    await expectTokenNames(page, [`${p}-backup`]);

    // A date range, after removing the user filter.
    await panel.getByRole("button", { name: `Remove Alice ${tag} (alice-${tag})` }).click();
    await expectTokenNames(page, [`${p}-backup`, `${p}-cli`]);
    await panel.getByLabel("Expiry").selectOption("range");
    await panel.getByLabel("Expires from").fill(localDate(30));
    await panel.getByLabel("Expires until").fill(localDate(60));
    await expectTokenNames(page, [`${p}-ci`]);
    await panel.getByLabel("Expires from").fill(localDate(1));
    await expectTokenNames(page, [`${p}-ci`, `${p}-deploy`]);
    await shot(page, "admin-tokens-filter-date-range");

    // Created by: the token Bob made for himself, not those the owner made for him.
    await page.getByRole("button", { name: "Reset filters" }).first().click();
    await panel.getByLabel("Name").fill(p);
    await pickUser(panel, "Created by", `bob-${tag}`, new RegExp(`Bob ${tag}`));
    await expectTokenNames(page, [`${p}-cli`]);
    await pickUser(panel, "Users", `bob-${tag}`, new RegExp(`Bob ${tag}`));
    await expectTokenNames(page, [`${p}-cli`]);

    // A copied link opens the same view.
    const url = page.url();
    const other = await page.context().newPage();
    await other.goto(url);
    await expectTokenNames(other, [`${p}-cli`]);
    await expect(filters(other).locator(".chip").getByText(`bob-${tag}`).first()).toBeVisible();
    await other.close();

    // Nothing matches: a designed empty state with a way out.
    await panel.getByLabel("Name").fill(`${p}-nothing-like-this`);
    await expect(
      page.getByRole("heading", { name: "No tokens match these filters" }),
    ).toBeVisible();
    await shot(page, "admin-tokens-no-match");
    await page.getByRole("button", { name: "Reset filters" }).last().click();
    // Filters go; the sort stays.
    await expect(page).toHaveURL(/\/admin\/tokens\?sort=name$/);
  });

  test("filters by last use: never used, used within days, not used for days", async ({ page }) => {
    const p = `lu-${uniqueTag()}`;
    const { secret } = await createToken(owner, { name: `${p}-used`, expiresAt: null });
    await createToken(owner, { name: `${p}-unused`, expiresAt: null });
    const client = await bearerContext(secret);
    expect((await client.get("/api/v1/me")).status()).toBe(200);
    await client.dispose();
    // Last use is written in batches, every few seconds.
    await expect
      .poll(async () => (await getTokens(owner, `name=${p}-used`)).items[0]?.lastUsedAt ?? null, {
        timeout: 15_000,
      })
      .not.toBeNull();

    await signIn(page);
    await page.goto(`/admin/tokens?name=${p}&sort=name`);
    await expectTokenNames(page, [`${p}-unused`, `${p}-used`]);
    const panel = filters(page);
    await panel.getByLabel("Last used").selectOption("never");
    await expectTokenNames(page, [`${p}-unused`]);
    await expect(page).toHaveURL(/lastUsed=never/);
    await panel.getByLabel("Last used").selectOption("within");
    await expect(panel.getByLabel("Used within")).toHaveValue("30");
    await expectTokenNames(page, [`${p}-used`]);
    await expect(page).toHaveURL(/lastUsed=within%3A30|lastUsed=within:30/);
    await shot(page, "admin-tokens-last-used");
    // Idle for 90 days: neither, since both were made today.
    await panel.getByLabel("Last used").selectOption("idle");
    await expect(panel.getByLabel("Not used for")).toHaveValue("90");
    await expect(page).toHaveURL(/lastUsed=idle%3A90|lastUsed=idle:90/);
    await expect(
      page.getByRole("heading", { name: "No tokens match these filters" }),
    ).toBeVisible();
    await expectAccessible(page);
    // A shared link opens the same filter.
    await page.goto(`/admin/tokens?name=${p}&lastUsed=never`);
    await expect(filters(page).getByLabel("Last used")).toHaveValue("never");
    await expectTokenNames(page, [`${p}-unused`]);
  });

  test("sorts by column, pages forward and back, keeps a selection across pages and mass-disables it", async ({
    page,
  }) => {
    const tag = uniqueTag();
    const p = `s-${tag}`;
    const names = Array.from({ length: 12 }, (_, i) => `${p}-${String(i + 1).padStart(2, "0")}`);
    for (const name of names) await createToken(owner, { name, expiresAt: null });

    await signIn(page);
    await page.goto(`/admin/tokens?name=${p}&limit=10`);
    await expect(tokenNames(page)).toHaveCount(10);
    await expect(page.getByText("1–10 of 12")).toBeVisible();

    // Sort by name, ascending then descending; the header says which.
    const nameHeader = tokenTable(page).getByRole("columnheader", { name: /Name/ });
    await nameHeader.getByRole("button").click();
    await expect(page).toHaveURL(/sort=name(&|$)/);
    await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
    await expectTokenNames(page, names.slice(0, 10));
    await nameHeader.getByRole("button").click();
    await expect(nameHeader).toHaveAttribute("aria-sort", "descending");
    await expectTokenNames(page, [...names].reverse().slice(0, 10));

    // Select one token on page 1 ...
    await page.getByRole("checkbox", { name: `Select ${p}-12` }).check();
    await expect(page.getByText("1 selected")).toBeVisible();

    // ... page on, select the whole page 2 ...
    await page.getByRole("button", { name: "Next" }).click();
    await expectTokenNames(page, [`${p}-02`, `${p}-01`]);
    await expect(page.getByText("11–12 of 12")).toBeVisible();
    await page.getByRole("checkbox", { name: "Select all tokens on this page" }).check();
    await expect(page.getByText("3 selected")).toBeVisible();
    await expectAccessible(page);
    await shot(page, "admin-tokens-selection-page-2");

    // ... back to page 1 (button, then the browser's back/forward): the selection holds.
    await page.getByRole("button", { name: "Previous" }).click();
    await expectTokenNames(page, [...names].reverse().slice(0, 10));
    await expect(page.getByRole("checkbox", { name: `Select ${p}-12` })).toBeChecked();
    await page.goBack();
    await expectTokenNames(page, [`${p}-02`, `${p}-01`]);
    await page.goForward();
    await expectTokenNames(page, [...names].reverse().slice(0, 10));

    // A filter change keeps it too.
    await filters(page).getByLabel("Status").selectOption("enabled");
    await expect(page.getByText("3 selected")).toBeVisible();
    await page.getByLabel("Rows per page").selectOption("25");
    await expectTokenNames(page, [...names].reverse());
    await expect(page.getByText("3 selected")).toBeVisible();

    // Mass-disable: one request, then a fresh table and an empty selection.
    await page
      .getByRole("region", { name: "Selected tokens" })
      .getByRole("button", { name: "Disable" })
      .click();
    await expect(toast(page).getByText("3 tokens disabled")).toBeVisible();
    await expect(page.getByText("3 selected")).toHaveCount(0);
    const untouched = (n: string) => ![`${p}-01`, `${p}-02`, `${p}-12`].includes(n);
    await expectTokenNames(page, [...names].reverse().filter(untouched));
    await shot(page, "admin-tokens-after-mass-disable");

    const all = await getTokens(owner, `name=${p}&limit=50`);
    const disabled = all.items.filter((t) => t.status === "disabled").map((t) => t.name);
    expect(disabled.sort()).toEqual([`${p}-01`, `${p}-02`, `${p}-12`]);
  });

  test("a click on a status flips it at once and the server agrees", async ({ page }) => {
    const tag = uniqueTag();
    const name = `t-${tag}-toggle`;
    const { token } = await createToken(owner, { name, expiresAt: null });

    await signIn(page);
    await page.goto(`/admin/tokens?name=t-${tag}`);
    const toggle = page.getByRole("switch", { name: `Status of ${name}` });
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await expect(toggle).toHaveText("Enabled");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await expect(toggle).toHaveText("Disabled");
    await expect(toast(page).getByText(`${name} disabled`)).toBeVisible();
    await expect
      .poll(async () => (await owner.get<{ status: string }>(`/tokens/${token.id}`)).status)
      .toBe("disabled");

    // With the keyboard too.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await expect
      .poll(async () => (await owner.get<{ status: string }>(`/tokens/${token.id}`)).status)
      .toBe("enabled");

    // When the server refuses, the row goes back and says so.
    await page.route(`**/api/v1/tokens/${token.id}`, (route) =>
      route.request().method() === "PATCH"
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({
              error: {
                code: "service_unavailable",
                message: "Keyward is temporarily unavailable.",
                requestId: "req_e2e",
              },
            }),
          })
        : route.continue(),
    );
    await toggle.click();
    await expect(toast(page).getByText(`Could not disable ${name}`)).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
  });

  test("every column fits a 1280-pixel screen, long usernames included, and the page never scrolls sideways", async ({
    page,
  }) => {
    const tag = uniqueTag();
    const { user } = await createUser(owner, {
      username: `evelyn.boyd.granville.${tag}`,
      displayName: `Evelyn ${tag}`,
      role: "member",
    });
    const name = `w-${tag}-grafana-dashboards`;
    await createToken(owner, { name, userId: user.id, expiresAt: daysFromNow(5) });

    await signIn(page);
    await page.goto(`/admin/tokens?name=w-${tag}`);
    await expectTokenNames(page, [name]);
    const sideways = () =>
      page.evaluate(() => {
        const scroller = document.querySelector(".table-scroll");
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          table: scroller ? scroller.scrollWidth - scroller.clientWidth : -1,
        };
      });
    const fit = await sideways();
    expect(fit.page).toBe(0);
    // Fits here to the pixel; a few pixels of slack for other machines' fonts (before the fix the
    // table overflowed its card by 120 px, and the page by 60–90).
    expect(fit.table).toBeLessThanOrEqual(12);
    // The username is cut to its column and whole on hover.
    const owned = tokenTable(page).getByTitle(user.username);
    await expect(owned).toHaveText(user.username);
    await expect(page.getByRole("switch", { name: `Status of ${name}` })).toBeInViewport();
    await shot(page, "tokens-admin-1280-long-usernames", { fullPage: false });

    // Narrower than the table: the table scrolls inside its card, the page stays put.
    await page.setViewportSize({ width: 1024, height: 800 });
    await expect.poll(async () => (await sideways()).page).toBe(0);
    expect((await sideways()).table).toBeGreaterThan(0);
  });

  test("an Admin cannot take a secret that acts as an Owner: create for one, or regenerate one's token", async ({
    page,
  }) => {
    const tag = uniqueTag();
    const { account: admin } = await createUser(owner, { username: `adm-${tag}`, role: "admin" });
    const { account: bossAccount } = await createUser(owner, {
      username: `boss-${tag}`,
      displayName: `Boss ${tag}`,
      role: "owner",
    });
    const bossSession = await apiSession(bossAccount);
    const { token: bossToken } = await createToken(bossSession, { name: `boss-${tag}-ci` });
    await bossSession.dispose();

    await signIn(page, admin);
    await page.goto("/admin/tokens");
    await page.getByRole("button", { name: "Create API token" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create API token" });
    await dialog.getByLabel("Name").fill(`boss-${tag}-escalate`);
    await pickUser(dialog, "User", `boss-${tag}`, new RegExp(`Boss ${tag}`));
    await dialog.getByRole("button", { name: "Create token" }).click();
    // Said next to the user, and nothing was created.
    await expect(dialog.getByText(/would act with their role \(Owner\)/)).toBeVisible();
    await shot(page, "dialog-create-token-for-owner-refused", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await getTokens(owner, `name=boss-${tag}-escalate`)).items).toEqual([]);

    // Regenerating the Owner's token is refused in its confirmation dialog.
    await page.goto(`/admin/tokens/${bossToken.id}`);
    await page.getByRole("button", { name: "Regenerate" }).first().click();
    const confirm = page.getByRole("dialog", { name: /Regenerate/ });
    await confirm.getByRole("button", { name: /Regenerate/ }).click();
    await expect(confirm.getByText(/would act with their role \(Owner\)/)).toBeVisible();
    await expect(page.getByRole("dialog", { name: "New secret generated" })).toHaveCount(0);
  });

  test("creates a token for another user, copies the secret and uses it; regenerate and delete", async ({
    page,
    context,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const tag = uniqueTag();
    const { user: carol } = await createUser(owner, {
      username: `carol-${tag}`,
      displayName: `Carol ${tag}`,
      role: "member",
    });
    const name = `c-${tag}-reports`;

    await signIn(page);
    await page.goto("/admin/tokens");
    const create = page.getByRole("button", { name: "Create API token" }).first();
    await create.click();
    const dialog = page.getByRole("dialog", { name: "Create API token" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Name")).toBeFocused();
    await expect(dialog.getByText("You (owner)")).toBeVisible();
    await expectAccessible(page);
    await shot(page, "dialog-create-token", { fullPage: false });

    // An empty name is refused on the spot.
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByText("Enter a name")).toBeVisible();

    await dialog.getByLabel("Name").fill(name);
    await pickUser(dialog, "User", `carol-${tag}`, new RegExp(`Carol ${tag}`));
    await expect(dialog.getByText(`Carol ${tag} (carol-${tag})`)).toBeVisible();
    await dialog.getByLabel("Description").fill("Nightly report export");
    await dialog.getByLabel("Set expiration date and time").check();
    await dialog.getByRole("button", { name: "30 days" }).click();
    await dialog.getByLabel("Only selected scopes").check();
    await dialog.getByRole("checkbox", { name: /^token:read:/ }).check();
    await dialog.getByRole("checkbox", { name: /^audit:read:/ }).check();
    await shot(page, "dialog-create-token-filled", { fullPage: false });
    await dialog.getByRole("button", { name: "Create token" }).click();

    // The show-once dialog: warning, read-only secret, copy with confirmation.
    const secretDialog = page.getByRole("dialog", { name: "API token created" });
    await expect(secretDialog).toBeVisible();
    await expect(secretDialog.getByText("Copy the secret now")).toBeVisible();
    const secretField = secretDialog.getByLabel("Secret");
    await expect(secretField).toHaveAttribute("readonly", "");
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^kw_/);
    await secretDialog.getByRole("button", { name: "Copy" }).click();
    await expect(secretDialog.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectAccessible(page);
    await shot(page, "dialog-secret-shown-once", { fullPage: false });
    // Escape does not throw the secret away.
    await page.keyboard.press("Escape");
    await expect(secretDialog).toBeVisible();
    await secretDialog.getByRole("button", { name: "Done" }).click();
    await expect(secretDialog).toHaveCount(0);
    await expect(create).toBeFocused();

    // The secret is nowhere in the page, the URL or storage after closing.
    expect(await page.content()).not.toContain(secret);
    expect(page.url()).not.toContain(secret);
    const stored = await page.evaluate(() =>
      JSON.stringify({ ...window.localStorage, ...window.sessionStorage }),
    );
    expect(stored).not.toContain(secret);

    // The token works for a real request, as Carol, within its scopes.
    const api = await bearerContext(secret);
    const me = await api.get("/api/v1/me");
    expect(me.status()).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe(`carol-${tag}`);
    expect((await api.get("/api/v1/tokens")).status()).toBe(200);
    await api.dispose();

    // It is listed under Carol, created by the owner.
    await filters(page).getByLabel("Name").fill(name);
    await expectTokenNames(page, [name]);
    const row = tokenTable(page).getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText(`carol-${tag}`);
    await expect(row).toContainText("owner");

    // Edit page: owner shown but not editable, then Regenerate with a confirmation.
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByText(`carol-${tag}`).first()).toBeVisible();
    await expect(page.getByLabel("Description")).toHaveValue("Nightly report export");
    await expectAccessible(page);
    await shot(page, "token-edit");

    await page.getByRole("button", { name: "Regenerate" }).click();
    const confirm = page.getByRole("dialog", { name: `Regenerate the secret of ${name}?` });
    await expect(confirm).toContainText("stops working at once");
    await expectAccessible(page);
    await shot(page, "dialog-regenerate-confirm", { fullPage: false });
    await confirm.getByRole("button", { name: "Regenerate secret" }).click();
    const regenerated = page.getByRole("dialog", { name: "New secret generated" });
    await expect(regenerated).toBeVisible();
    const newSecret = await regenerated.getByLabel("Secret").inputValue();
    expect(newSecret).toMatch(/^kw_/);
    expect(newSecret).not.toBe(secret);
    // Closing without copying asks once more.
    await regenerated.getByRole("button", { name: "I have saved it, close" }).click();
    await expect(regenerated.getByText("You have not copied the secret")).toBeVisible();
    await shot(page, "dialog-secret-close-without-copy", { fullPage: false });
    await regenerated.getByRole("button", { name: "Close without copying" }).click();
    await expect(regenerated).toHaveCount(0);

    const oldApi = await bearerContext(secret);
    expect((await oldApi.get("/api/v1/me")).status()).toBe(401);
    await oldApi.dispose();
    const newApi = await bearerContext(newSecret);
    expect((await newApi.get("/api/v1/me")).status()).toBe(200);

    // Edit: rename and disable, then the change shows in the list.
    await page.getByLabel("Name").fill(`${name}-v2`);
    await page.getByLabel("Enabled").uncheck();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(toast(page).getByText("Changes saved")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: `${name}-v2` })).toBeVisible();
    expect((await newApi.get("/api/v1/me")).status()).toBe(401);

    // History: this token's latest audit events, newest first, refreshed by the edit just made.
    const tokenId = /\/admin\/tokens\/(tok_\w+)$/.exec(page.url())?.[1];
    expect(tokenId).toBeTruthy();
    const history = page.getByRole("region", { name: "History" });
    const events = history.getByRole("listitem");
    await expect(events).toHaveCount(3);
    await expect(events.nth(0)).toContainText(`Token edited by ${OWNER.username}`);
    await expect(events.nth(0)).toContainText(`name: ${name} → ${name}-v2`);
    await expect(events.nth(0)).toContainText("status: enabled → disabled");
    await expect(events.nth(1)).toContainText("Token secret regenerated");
    await expect(events.nth(2)).toContainText("Token created");
    await expect(events.nth(2)).toContainText("token:read");
    await expectAccessible(page);
    await shot(page, "token-edit-history");
    // Its link opens the audit log filtered to this token.
    await history.getByRole("link", { name: /audit log/ }).click();
    await expect(page).toHaveURL(
      new RegExp(`/admin/audit\\?targetType=token&targetId=${tokenId}$`),
    );
    await expect(page.getByRole("table", { name: "Audit events" }).locator("tbody tr")).toHaveCount(
      3,
    );
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: `${name}-v2` })).toBeVisible();

    // Delete, confirmed; the list no longer has it and the secret is dead.
    await page.getByRole("button", { name: "Delete" }).click();
    const confirmDelete = page.getByRole("dialog", { name: `Delete ${name}-v2?` });
    await expect(confirmDelete).toContainText(`owned by carol-${tag}`);
    await shot(page, "dialog-delete-confirm", { fullPage: false });
    await confirmDelete.getByRole("button", { name: "Delete token" }).click();
    await expect(page).toHaveURL(/\/admin\/tokens$/);
    await expect(toast(page).getByText(`${name}-v2 deleted`)).toBeVisible();
    const remaining = await getTokens(owner, `userId=${carol.id}`);
    expect(remaining.items).toHaveLength(0);
    await newApi.dispose();
  });

  test("the create form maps a name clash onto the field and enforces the maximum lifetime", async ({
    page,
  }) => {
    const tag = uniqueTag();
    const name = `m-${tag}-taken`;
    await createToken(owner, { name, expiresAt: null });

    // This deployment runs without a maximum, so the policy answer is replaced for this page.
    await page.route("**/api/v1/settings", (route) =>
      route.fulfill({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({
          tokens: {
            maxLifetime: { ms: 45 * 86_400_000, text: "45d" },
            defaultLifetime: { ms: null, text: null },
            neverExpiresAllowed: false,
          },
          sessions: { duration: { ms: 86_400_000, text: "1d" }, refreshWhileInUse: true },
          fixedByEnvironment: {
            maxTokenLifetime: true,
            defaultTokenLifetime: false,
            sessionDuration: false,
            sessionRefresh: false,
          },
        }),
      }),
    );
    let created = 0;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/v1/tokens")) created++;
    });

    await signIn(page);
    await page.goto("/admin/tokens");
    await page.getByRole("button", { name: "Create API token" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create API token" });
    await expect(dialog.getByText(/at most 45d/)).toBeVisible();
    await expect(dialog.getByLabel("Set expiration date and time")).toBeChecked();
    await expect(dialog.getByLabel("Set expiration date and time")).toBeDisabled();
    await expect(dialog.getByRole("button", { name: "60 days" })).toBeDisabled();
    await expect(dialog.getByRole("button", { name: "90 days" })).toBeDisabled();

    await dialog.getByLabel("Name").fill(`m-${tag}-long`);
    await dialog.getByLabel("Expires at").fill("2099-01-01T10:00");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByText(/At most 45d from now/)).toBeVisible();
    await shot(page, "dialog-create-token-policy", { fullPage: false });
    expect(created).toBe(0);

    // Within the policy, but a name this owner already uses: the server's answer lands on Name.
    await dialog.getByRole("button", { name: "30 days" }).click();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.locator(".field-error").first()).toBeVisible();
    expect(created).toBe(1);
    await expect(dialog.getByLabel("Name")).toBeFocused();
    await shot(page, "dialog-create-token-name-taken", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toHaveCount(0);
  });

  test("loading skeleton, error with retry, and an empty state", async ({ page }) => {
    await signIn(page);
    let fail = true;
    await page.route("**/api/v1/tokens?*", async (route) => {
      if (fail) {
        await new Promise((resolve) => setTimeout(resolve, 800));
        return route.fulfill({
          status: 500,
          contentType: "application/json",
          body: JSON.stringify({
            error: {
              code: "internal_error",
              message: "Something went wrong on the server.",
              requestId: "req_e2e",
            },
          }),
        });
      }
      return route.continue();
    });
    await page.goto("/admin/tokens");
    await expect(page.locator("tr.skeleton-row").first()).toBeVisible();
    await shot(page, "admin-tokens-loading");
    await expect(page.getByText("The tokens could not be loaded")).toBeVisible();
    await expectAccessible(page);
    await shot(page, "admin-tokens-error");
    fail = false;
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByText("The tokens could not be loaded")).toHaveCount(0);
    await expect(page.locator("table tbody tr").first()).toBeVisible();
  });
});
