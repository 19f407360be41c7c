import { readFile } from "node:fs/promises";
import { mainNav, rowWith, settled } from "../support/admin-pages.ts";
import {
  anonymousContext,
  apiSession,
  createToken,
  createUser,
  uniqueTag,
} from "../support/api.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";
import { toast } from "../support/tokens-page.ts";

test.describe("Administration → Audit log", () => {
  test("filters by action, actor, target and time, in the URL, and pages", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { user } = await createUser(owner, { username: `audra-${tag}`, role: "member" });
    // A failed sign-in for her, and enough events to need a second page.
    const anonymous = await anonymousContext();
    await anonymous.post("/api/v1/auth/login", {
      data: { username: `audra-${tag}`, password: "not-her-password-at-all" },
    });
    await anonymous.dispose();
    for (let i = 0; i < 27; i++) {
      await owner.patch(`/users/${user.id}`, { displayName: `Audra ${tag} v${i}` });
    }
    await owner.dispose();

    await signIn(page);
    await mainNav(page).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    const audit = page.getByRole("table", { name: "Audit events" });
    await settled(audit);
    await expect(audit.locator("tbody tr").first()).toContainText("Signed in");
    await expectAccessible(page);
    await shot(page, "admin-audit");

    // Action: failed sign-ins.
    await page.getByLabel("Action").selectOption({ label: "Failed sign-in" });
    await expect(page).toHaveURL(/action=auth.login_failed/);
    await settled(audit);
    await expect(rowWith(audit, `audra-${tag}`)).toContainText("wrong_password");

    // Target: the user, by id; then the owner's edits of her, paged 25 at a time.
    await page.goto(`/admin/audit?action=user.updated&targetId=${user.id}&limit=25`);
    await settled(audit);
    await expect(page.getByText("27 events match")).toBeVisible();
    await expect(audit.locator("tbody tr")).toHaveCount(25);
    await expect(page.getByText("1–25 of 27")).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await settled(audit);
    await expect(audit.locator("tbody tr")).toHaveCount(2);
    await expect(page.getByText("26–27 of 27")).toBeVisible();
    await page.getByRole("button", { name: "Previous" }).click();
    await expect(page).not.toHaveURL(/cursor=/);
    await settled(audit);
    await expect(audit.locator("tbody tr")).toHaveCount(25);

    // Actor: clicking a name keeps only what they did.
    await audit.locator("tbody tr").first().getByRole("button", { name: "owner" }).click();
    await expect(page).toHaveURL(/actorId=usr_/);
    await expect(page.getByRole("combobox", { name: "Actor" })).toBeVisible();

    // Time: a quick range fills "From".
    await page.getByRole("button", { name: "Last hour" }).click();
    await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}T/);
    await settled(audit);
    await expect(audit.locator("tbody tr")).toHaveCount(25);
    await shot(page, "admin-audit-filtered");

    // Nothing before the epoch of this test: the empty state offers a reset.
    await page.goto("/admin/audit?until=2001-01-01T00:00");
    await expect(
      page.getByRole("heading", { name: "Nothing matches these filters" }),
    ).toBeVisible();
    await shot(page, "admin-audit-empty");
    await page.getByRole("main").getByRole("button", { name: "Reset filters" }).last().click();
    await expect(page).toHaveURL(/\/admin\/audit$/);
    await settled(audit);
    await expect(audit.locator("tbody tr").first()).toBeVisible();
  });

  test("exports what the filters select as CSV", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { token } = await createToken(owner, { name: `=export-${tag}`, expiresAt: null });

    await signIn(page);
    await page.goto(`/admin/audit?action=token.create&targetId=${token.id}`);
    const rows = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText("never expires");
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^keyward-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
    const [header, row, ...rest] = text.trimEnd().split("\n");
    expect(header?.split(",").slice(0, 5)).toEqual([
      "occurredAt",
      "actorName",
      "actorId",
      "actorTokenId",
      "action",
    ]);
    expect(rest).toEqual([]);
    // The token's name starts like a formula: the export defuses it.
    expect(row).toContain(`token.create,token,${token.id},'=export-${tag},`);
  });

  test("an auditor reads the log but not the settings", async ({ page }) => {
    const owner = await apiSession();
    const { account } = await createUser(owner, {
      username: `otto-${uniqueTag()}`,
      role: "auditor",
    });
    await owner.dispose();
    await signIn(page, account);
    await mainNav(page).getByRole("link", { name: "Audit log" }).click();
    await settled(page.getByRole("table", { name: "Audit events" }));
    await expect(mainNav(page).getByRole("link", { name: "Settings" })).toHaveCount(0);
    await page.goto("/admin/settings");
    await expect(page.getByRole("heading", { name: "Not permitted" })).toBeVisible();
  });

  test("a failed load offers a retry", async ({ page }) => {
    await signIn(page);
    let fail = true;
    await page.route("**/api/v1/audit?*", (route) =>
      fail
        ? route.fulfill({
            status: 500,
            contentType: "application/json",
            body: JSON.stringify({
              error: {
                code: "internal_error",
                message: "Something went wrong on the server.",
                requestId: "r",
              },
            }),
          })
        : route.fallback(),
    );
    await page.goto("/admin/audit");
    await expect(page.getByText("The audit log could not be loaded")).toBeVisible();
    await shot(page, "admin-audit-error");
    fail = false;
    await page.getByRole("button", { name: "Retry" }).click();
    await settled(page.getByRole("table", { name: "Audit events" }));
    await expect(page.getByText("The audit log could not be loaded")).toHaveCount(0);
  });
});

test.describe("Administration → Settings", () => {
  test("shows the token and session policy, editable where the environment leaves it open", async ({
    page,
  }) => {
    await signIn(page);
    await mainNav(page).getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const tokens = page.getByRole("region", { name: "Token policy" });
    await expect(tokens).toContainText("Maximum lifetime");
    // This deployment sets none of the policy variables, so every value can be changed here.
    await expect(tokens.getByLabel("Maximum lifetime")).toHaveValue("");
    await expect(tokens.getByLabel("Maximum lifetime")).toHaveAttribute("placeholder", "Unlimited");
    await expect(tokens).toContainText("Allowed");
    const sessions = page.getByRole("region", { name: "Session policy" });
    await expect(sessions.getByLabel("Browser session duration")).toHaveValue("1d");
    await expect(page.getByText(/Fixed by KEYWARD_/)).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Save settings" })).toBeDisabled();
    await expectAccessible(page);
    await shot(page, "admin-settings");
  });

  test("lowering the maximum lifetime shows the tokens it affects, then saves", async ({
    page,
  }) => {
    const owner = await apiSession();
    await createToken(owner, { name: `forever-${uniqueTag()}`, expiresAt: null });
    try {
      await signIn(page);
      await page.goto("/admin/settings");
      const tokens = page.getByRole("region", { name: "Token policy" });
      await tokens.getByLabel("Maximum lifetime").fill("720h");
      await expect(
        tokens.getByText(/existing tokens? exceeds? this maximum; (they keep|it keeps) working/),
      ).toBeVisible();
      await shot(page, "admin-settings-impact");
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect(toast(page).getByText("Settings saved")).toBeVisible();
      // The server answers the value in its shortest spelling.
      await expect(tokens.getByLabel("Maximum lifetime")).toHaveValue("30d");
      await expect(tokens).toContainText("Not allowed");
      await expect(page.getByRole("button", { name: "Save settings" })).toBeDisabled();
      // The audit log says what changed, from what to what.
      await page.goto("/admin/audit?action=settings.updated");
      await expect(
        page.getByRole("table", { name: "Audit events" }).locator("tbody tr").first(),
      ).toContainText("maxTokenLifetime: none → 30d");
    } finally {
      // Other specs share this server: back to unlimited.
      await owner.patch("/settings", { maxTokenLifetime: null, defaultTokenLifetime: null });
      await owner.dispose();
    }
  });

  test("an admin without settings.manage is not permitted", async ({ page }) => {
    const owner = await apiSession();
    const { account } = await createUser(owner, { username: `alma-${uniqueTag()}`, role: "admin" });
    await owner.dispose();
    await signIn(page, account);
    await expect(mainNav(page).getByRole("link", { name: "Settings" })).toHaveCount(0);
    await page.goto("/admin/settings");
    await expect(page.getByRole("heading", { name: "Not permitted" })).toBeVisible();
  });
});
