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
});
