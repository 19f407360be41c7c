import { mainNav, notifications, rowWith, settled, shotDialog } from "../support/admin-pages.ts";
import { apiSession, bearerContext, createUser, uniqueTag } from "../support/api.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";

test.describe("Profile → Sessions and /cli-auth", () => {
  test("a user sees their sessions, ends another one, gets a command-line token and signs out by ending this one", async ({
    page,
  }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { account } = await createUser(owner, {
      username: `sam-${tag}`,
      displayName: `Sam ${tag}`,
      role: "guest",
    });
    await owner.dispose();
    const elsewhere = await apiSession(account);

    await signIn(page, account);
    await mainNav(page).getByRole("link", { name: "Sessions" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    const table = page.getByRole("table", { name: "Your sessions" });
    await settled(table);
    await expect(table.locator("tbody tr")).toHaveCount(2);
    await expect(rowWith(table, "This session")).toHaveCount(1);
    await expect(rowWith(table, "This session")).toContainText("Chrome");
    await expectAccessible(page);
    await shot(page, "profile-sessions");

    // End the other one; its cookie stops working.
    await table
      .locator("tbody tr")
      .filter({ hasNotText: "This session" })
      .getByRole("button", { name: /^End browser session/ })
      .click();
    await expect(notifications(page).getByText("Session ended")).toBeVisible();
    await expect(table.locator("tbody tr")).toHaveCount(1);
    expect((await elsewhere.context.get("/api/v1/me")).status()).toBe(401);
    await elsewhere.dispose();

    // /cli-auth, reached from the Sessions page.
    await page.getByRole("link", { name: "Create a command-line token" }).click();
    await expect(page).toHaveURL(/\/cli-auth$/);
    await expect(
      page.getByRole("heading", { level: 1, name: "Command-line sign-in" }),
    ).toBeVisible();
    const origin = new URL(page.url()).origin;
    await expect(page.getByRole("textbox", { name: "Command" })).toHaveValue(
      `keyward login ${origin}`,
    );
    await expectAccessible(page);
    await shot(page, "cli-auth");

    await page.getByRole("button", { name: "Create a command-line token" }).click();
    const tokenField = page.getByRole("textbox", { name: "Session token" });
    await expect(tokenField).toHaveValue(/^kws_/);
    const token = await tokenField.inputValue();
    await expect(tokenField).toHaveAttribute("readonly", "");
    await expectAccessible(page);
    await shot(page, "cli-auth-token");

    // The token never reaches the address bar or storage.
    expect(page.url()).not.toContain(token);
    const stored = await page.evaluate(() =>
      JSON.stringify({ ...window.localStorage, ...window.sessionStorage }),
    );
    expect(stored).not.toContain(token);

    // It works as a Bearer token …
    const cli = await bearerContext(token);
    const me = await cli.get("/api/v1/me");
    expect(me.status()).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe(`sam-${tag}`);

    // … and is listed among the sessions.
    await page.getByRole("link", { name: "See it among your sessions" }).click();
    await settled(table);
    await expect(table.locator("tbody tr")).toHaveCount(2);
    await expect(rowWith(table, "Command line")).toHaveCount(1);
    await shot(page, "profile-sessions-with-cli");

    // Coming back to /cli-auth shows no token: it was shown once.
    await page.goto("/cli-auth");
    await expect(page.getByRole("textbox", { name: "Session token" })).toHaveCount(0);
    await page.goto("/profile/sessions");

    // Ending this session signs this browser out, after a confirmation; the CLI session lives on.
    await rowWith(table, "This session")
      .getByRole("button", { name: "End this session (you will be signed out)" })
      .click();
    const confirm = page.getByRole("dialog", { name: "Sign out of this browser?" });
    await expectAccessible(page);
    await shotDialog(page, "profile-sessions-dialog-end-current");
    await confirm.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await cli.get("/api/v1/me")).status()).toBe(200);

    // Ending the CLI session from another browser session stops the token.
    const again = await apiSession(account);
    const { items } = await again.get<{ items: { id: string; kind: string }[] }>("/me/sessions");
    const cliSession = items.find((s) => s.kind === "cli");
    expect(cliSession).toBeDefined();
    const ended = await again.context.fetch(`/api/v1/me/sessions/${cliSession?.id}`, {
      method: "DELETE",
      headers: {
        "x-csrf-token":
          (await again.context.storageState()).cookies.find((c) => c.name === "kw_csrf")?.value ??
          "",
      },
    });
    expect(ended.status()).toBe(204);
    expect((await cli.get("/api/v1/me")).status()).toBe(401);
    await cli.dispose();
    await again.dispose();
  });

  test("/cli-auth asks a signed-out visitor to sign in first, then comes back", async ({
    page,
  }) => {
    await page.goto("/cli-auth");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fcli-auth/);
    await page.getByLabel("Username").fill("owner");
    await page.getByLabel("Password").fill("e2e-owner-password-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("heading", { level: 1, name: "Command-line sign-in" }),
    ).toBeVisible();
  });

  test("a session list that fails to load offers a retry", async ({ page }) => {
    await signIn(page);
    let fail = true;
    await page.route("**/api/v1/me/sessions", (route) =>
      fail
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({
              error: {
                code: "service_unavailable",
                message: "The database is not reachable.",
                requestId: "r",
              },
            }),
          })
        : route.fallback(),
    );
    await page.goto("/profile/sessions");
    await expect(page.getByText("Your sessions could not be loaded")).toBeVisible({
      timeout: 15_000,
    });
    await shot(page, "profile-sessions-error");
    fail = false;
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(
      rowWith(page.getByRole("table", { name: "Your sessions" }), "This session"),
    ).toBeVisible();
  });
});
