import { settled } from "../support/admin-pages.ts";
import { anonymousContext, apiSession, createUser, uniqueTag } from "../support/api.ts";
import { OWNER } from "../support/constants.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";

test.describe("signing in and out", () => {
  test("an unauthenticated visitor is sent to the sign-in page", async ({ page }) => {
    await page.goto("/admin/tokens");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectAccessible(page);
    await shot(page, "sign-in");
  });

  test("a wrong password shows an error and keeps the visitor signed out", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(OWNER.username);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("Incorrect username or password");
    await expect(page).toHaveURL(/\/sign-in/);
    await shot(page, "sign-in-error");
    const me = await page.request.get("/api/v1/me");
    expect(me.status()).toBe(401);
  });

  test("the owner signs in, sees the whole navigation, and signs out", async ({ page }) => {
    await signIn(page);
    const nav = page.getByRole("navigation", { name: /main/i });
    for (const item of [
      "API tokens",
      "Users",
      "Roles",
      "Audit log",
      "Settings",
      "Profile",
      "Sessions",
    ]) {
      await expect(nav.getByRole("link", { name: item, exact: true }).first()).toBeVisible();
    }
    await expect(page.getByRole("main")).toBeVisible();
    await expectAccessible(page);
    await shot(page, "layout-owner");

    await page.getByRole("link", { name: "Profile", exact: true }).click();
    await expect(page.getByRole("main")).toContainText(OWNER.username);
    await shot(page, "profile");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    const me = await page.request.get("/api/v1/me");
    expect(me.status()).toBe(401);
    // The old session cannot be revived with the back button.
    await page.goBack();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an ended session sends the user back to sign in", async ({ page, context }) => {
    await signIn(page);
    await context.clearCookies();
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("the API reference page renders", async ({ page }) => {
    await page.goto("/api/docs");
    await expect(page.getByText("Keyward API").first()).toBeVisible();
    await expect(page.getByText("/api/v1/auth/login").first()).toBeVisible();
    await shot(page, "api-docs");
  });

  test("someone guessing a username from elsewhere makes new browsers wait, not one where that user signed in before", async ({
    page,
    browser,
  }) => {
    const owner = await apiSession();
    const { user, account } = await createUser(owner, {
      username: `guessed-${uniqueTag()}`,
      role: "member",
    });
    await owner.dispose();
    await signIn(page, account);
    const device = (await page.context().cookies()).find((c) => c.name === "kw_device");
    expect(device?.path).toBe("/api/v1/auth/login");
    expect(device?.httpOnly).toBe(true);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // The user mistypes their password once, in their own browser.
    await page.getByLabel("Username").fill(account.username);
    await page.getByLabel("Password").fill("a typo in the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("Incorrect username or password");

    // Both browsers are ready to sign in with the right password before the guessing starts.
    const stranger = await browser.newContext();
    const strangerPage = await stranger.newPage();
    for (const p of [strangerPage, page]) {
      await p.goto("/sign-in");
      await p.getByLabel("Username").fill(account.username);
      await p.getByLabel("Password").fill(account.password);
    }

    // Wrong passwords for that username from other addresses (through a trusted proxy). Five are
    // free; waiting out 1 s and 2 s and failing again makes the next wait 4 s.
    const guesser = await anonymousContext();
    for (let i = 0; i < 7; i++) {
      if (i === 5) await page.waitForTimeout(1100);
      if (i === 6) await page.waitForTimeout(2100);
      const failed = await guesser.post("/api/v1/auth/login", {
        data: { username: account.username, password: "a wrong guess" },
        headers: { "x-forwarded-for": `203.0.113.${i + 1}` },
      });
      expect(failed.status()).toBe(401);
    }
    await guesser.dispose();

    // A browser that has never signed in as the user is told to wait, even with the right password.
    await strangerPage.getByRole("button", { name: "Sign in" }).click();
    await expect(strangerPage.getByRole("alert")).toContainText("Too many failed sign-in attempts");
    await expect(strangerPage).toHaveURL(/\/sign-in/);

    // The user's own browser sends its device cookie (only to the sign-in route) and gets in.
    const signingIn = page.waitForRequest("**/api/v1/auth/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await (await signingIn).headerValue("cookie")).toContain("kw_device=");
    await expect(page.getByRole("navigation", { name: /main/i })).toBeVisible();

    await shot(strangerPage, "sign-in-rate-limited");

    // The audit log tells the typo in the user's own browser apart from the guesses.
    await signIn(strangerPage);
    await strangerPage.goto(`/admin/audit?action=auth.login_failed&targetId=${user.id}`);
    const audit = strangerPage.getByRole("table", { name: "Audit events" });
    await settled(audit);
    await expect(audit.locator("tbody tr")).toHaveCount(8);
    const known = audit.locator("tbody tr", {
      hasText: "from a browser this user signed in on before",
    });
    await expect(known).toHaveCount(1);
    await expect(known).toContainText("wrong_password");
    await shot(strangerPage, "admin-audit-known-browser");
    await stranger.close();
  });
});
