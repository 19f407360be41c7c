import {
  apiSession,
  createToken,
  createUser,
  daysFromNow,
  getTokens,
  uniqueTag,
} from "../support/api.ts";
import { OWNER } from "../support/constants.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";
import { expectTokenNames, toast, tokenTable } from "../support/tokens-page.ts";

test.describe("Profile → API tokens", () => {
  test("a member sees only their own tokens, creates one and revokes it", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { user: dave, account } = await createUser(owner, {
      username: `dave-${tag}`,
      displayName: `Dave ${tag}`,
      role: "member",
    });
    const { token: seeded } = await createToken(owner, {
      name: `d-${tag}-seeded`,
      userId: dave.id,
      expiresAt: null,
    });
    // An administrator disables it, then enables it again: Dave can see who, on its page.
    await owner.patch(`/tokens/${seeded.id}`, { status: "disabled" });
    await owner.patch(`/tokens/${seeded.id}`, { status: "enabled" });
    await createToken(owner, { name: `o-${tag}-owners`, expiresAt: null });

    await signIn(page, account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("heading", { name: "Administration" })).toHaveCount(0);
    await nav.getByRole("link", { name: "API tokens" }).click();
    await expect(page).toHaveURL(/\/profile\/tokens$/);
    await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
    await expectTokenNames(page, [`d-${tag}-seeded`]);
    await expect(page.getByText(`o-${tag}-owners`)).toHaveCount(0);
    // Only one owner here: no user column or user filters.
    await expect(tokenTable(page).getByRole("columnheader", { name: "User" })).toHaveCount(0);
    await expect(page.getByRole("combobox", { name: "Users" })).toHaveCount(0);
    await expectAccessible(page);
    await shot(page, "profile-tokens");

    // Create: no user picker, the secret once.
    await page.getByRole("button", { name: "Create API token" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create API token" });
    await expect(dialog.getByRole("combobox", { name: "User" })).toHaveCount(0);
    await dialog.getByLabel("Name").fill(`d-${tag}-laptop`);
    await dialog.getByRole("button", { name: "Create token" }).click();
    const secretDialog = page.getByRole("dialog", { name: "API token created" });
    const secret = await secretDialog.getByLabel("Secret").inputValue();
    expect(secret).toMatch(/^kw_/);
    await secretDialog.getByRole("button", { name: "I have saved it, close" }).click();
    await secretDialog.getByRole("button", { name: "Close without copying" }).click();
    await expectTokenNames(page, [`d-${tag}-laptop`, `d-${tag}-seeded`]);
    await shot(page, "profile-tokens-after-create");

    // Revoke it from the row.
    await page.getByRole("button", { name: `Delete d-${tag}-laptop` }).click();
    const confirm = page.getByRole("dialog", { name: `Delete d-${tag}-laptop?` });
    await expectAccessible(page);
    await shot(page, "profile-dialog-delete", { fullPage: false });
    await confirm.getByRole("button", { name: "Delete token" }).click();
    await expect(toast(page).getByText(`d-${tag}-laptop deleted`)).toBeVisible();
    await expectTokenNames(page, [`d-${tag}-seeded`]);
    const left = await getTokens(owner, `userId=${dave.id}`);
    expect(left.items.map((t) => t.name)).toEqual([`d-${tag}-seeded`]);

    // Their own token page opens; the administration list does not.
    await page.getByRole("link", { name: `d-${tag}-seeded` }).click();
    await expect(page).toHaveURL(/\/profile\/tokens\/tok_/);
    await expect(page.getByRole("heading", { level: 1, name: `d-${tag}-seeded` })).toBeVisible();
    await expect(page.getByRole("region", { name: "Details" })).toBeVisible();
    // Its history says who changed it, without a way into the audit log, which a member may
    // not read, and without the administrator's address.
    const history = page.getByRole("region", { name: "History" });
    const events = history.getByRole("listitem");
    await expect(events).toHaveCount(3);
    await expect(events.nth(0)).toContainText(`Token enabled by ${OWNER.username}`);
    await expect(events.nth(1)).toContainText(`Token disabled by ${OWNER.username}`);
    await expect(events.nth(2)).toContainText(`Token created by ${OWNER.username}`);
    await expect(history.getByRole("link")).toHaveCount(0);
    await expect(history).not.toContainText("from ");
    await expectAccessible(page);
    await shot(page, "profile-token-edit");
    await page.goto("/admin/tokens");
    await expect(page.getByRole("heading", { name: "Not permitted" })).toBeVisible();
    await owner.dispose();
  });

  test("an administrator's profile lists only their own tokens", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { user: ada, account } = await createUser(owner, {
      username: `ada-${tag}`,
      displayName: `Ada ${tag}`,
      role: "admin",
    });
    await createToken(owner, { name: `a-${tag}-own`, userId: ada.id, expiresAt: null });
    await createToken(owner, { name: `a-${tag}-owners`, expiresAt: null });
    await owner.dispose();
    await signIn(page, account);
    await page.goto(`/profile/tokens?name=${tag}`);
    await expectTokenNames(page, [`a-${tag}-own`]);
    await page.goto(`/admin/tokens?name=${tag}`);
    await expectTokenNames(page, [`a-${tag}-owners`, `a-${tag}-own`]);
  });

  test("warns about enabled tokens that stop working within a week and filters down to them", async ({
    page,
  }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { user: erin, account } = await createUser(owner, {
      username: `erin-${tag}`,
      displayName: `Erin ${tag}`,
      role: "member",
    });
    const later = `e-${tag}-later`;
    const soon = `e-${tag}-soon`;
    const off = `e-${tag}-off`;
    await createToken(owner, { name: later, userId: erin.id, expiresAt: daysFromNow(30) });
    const { token } = await createToken(owner, {
      name: soon,
      userId: erin.id,
      expiresAt: daysFromNow(2),
    });
    // Disabled already: nothing will break when it expires, so it is not counted.
    await createToken(owner, {
      name: off,
      userId: erin.id,
      expiresAt: daysFromNow(1),
      enabled: false,
    });

    await signIn(page, account);
    await page.goto("/profile/tokens");
    const notice = page.getByRole("note").filter({ hasText: "within 7 days" });
    await expect(notice).toContainText("1 of your API tokens stops working within 7 days.");
    await expect(notice).toContainText(`${soon} expires in 2 days`);
    await expectAccessible(page);
    await shot(page, "profile-tokens-expiring-soon", { fullPage: false });

    await notice.getByRole("button", { name: "Show it" }).click();
    await expectTokenNames(page, [soon]);
    const params = new URL(page.url()).searchParams;
    expect([params.get("expiry"), params.get("status")]).toEqual(["within:7", "enabled"]);
    await expect(notice).toHaveCount(0);

    // Once it is dealt with (here: disabled), the warning goes.
    await owner.patch(`/tokens/${token.id}`, { status: "disabled" });
    await page.goto("/profile/tokens");
    await expectTokenNames(page, [off, soon, later]);
    await expect(notice).toHaveCount(0);
  });

  test("a member with no tokens is invited to create one", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { account } = await createUser(owner, { username: `erin-${tag}`, role: "member" });
    await owner.dispose();
    await signIn(page, account);
    await page.goto("/profile/tokens");
    await expect(page.getByRole("heading", { name: "You have no API tokens yet" })).toBeVisible();
    await expectAccessible(page);
    await shot(page, "profile-tokens-empty");
    await page.getByRole("main").getByRole("button", { name: "Create API token" }).last().click();
    await expect(page.getByRole("dialog", { name: "Create API token" })).toBeVisible();
  });

  test("a guest has no API tokens tab and is told so on the direct address", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { account } = await createUser(owner, { username: `gus-${tag}`, role: "guest" });
    await owner.dispose();
    await signIn(page, account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Profile", exact: true })).toBeVisible();
    await expect(nav.getByRole("link", { name: "API tokens" })).toHaveCount(0);
    await page.goto("/profile/tokens");
    await expect(page.getByRole("heading", { name: "Not permitted" })).toBeVisible();
    await expectAccessible(page);
    await shot(page, "profile-tokens-guest-not-permitted");
  });
});
