import { mainNav, notifications, rowWith, settled, shotDialog } from "../support/admin-pages.ts";
import { apiSession, createUser, uniqueTag } from "../support/api.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";

test.describe("Administration → Users", () => {
  test("search and filters live in the URL; the list pages", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    for (const [i, role] of (["member", "member", "auditor", "guest"] as const).entries()) {
      await createUser(owner, {
        username: `ulist-${tag}-${i}`,
        displayName: `List ${tag} ${i}`,
        role,
      });
    }
    const { user: off } = await createUser(owner, {
      username: `ulist-${tag}-off`,
      displayName: `List ${tag} off`,
      role: "member",
    });
    await owner.patch(`/users/${off.id}`, { status: "disabled" });
    await owner.dispose();

    await signIn(page);
    await mainNav(page).getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    const users = page.getByRole("table", { name: "Users" });
    await settled(users);
    await expectAccessible(page);
    await shot(page, "admin-users");

    await page.getByLabel("Search").fill(`ulist-${tag}`);
    await expect(page).toHaveURL(new RegExp(`q=ulist-${tag}`));
    await expect(users.locator("tbody tr")).toHaveCount(5);
    await page.getByLabel("Role").selectOption({ label: "Member" });
    await expect(page).toHaveURL(/roleId=rol_member/);
    await expect(users.locator("tbody tr")).toHaveCount(3);
    await page.getByLabel("Status").selectOption("disabled");
    await expect(page).toHaveURL(/status=disabled/);
    await expect(users.locator("tbody tr")).toHaveCount(1);
    await expect(rowWith(users, `List ${tag} off`)).toContainText("Disabled");
    await shot(page, "admin-users-filtered");

    // The same view from a shared link, then paging two at a time.
    await page.goto(`/admin/users?q=ulist-${tag}&limit=10`);
    await settled(users);
    await expect(users.locator("tbody tr")).toHaveCount(5);
    await page.goto(`/admin/users?q=nobody-${tag}`);
    await expect(page.getByRole("heading", { name: "No users match these filters" })).toBeVisible();
    await shot(page, "admin-users-empty-filter");
    await page.getByRole("main").getByRole("button", { name: "Reset filters" }).last().click();
    await expect(page).toHaveURL(/\/admin\/users$/);

    await page.goto(`/admin/users?q=ulist-${tag}&limit=10&sort=-createdAt`);
    await settled(users);
    await expect(users.locator("tbody tr").first()).toContainText(`List ${tag} off`);
    await expect(page.getByRole("columnheader", { name: "Created" })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
  });

  test("create dialog states the password rule and maps the server's refusals to fields", async ({
    page,
  }) => {
    const tag = uniqueTag();
    await signIn(page);
    await page.goto("/admin/users");
    await page.getByRole("button", { name: "Create user" }).click();
    const dialog = page.getByRole("dialog", { name: "Create user" });
    await expect(
      dialog.getByText("At least 12 characters, not all the same character"),
    ).toBeVisible();
    await expectAccessible(page);
    await shotDialog(page, "admin-users-dialog-create");

    // Caught before sending.
    await dialog.getByLabel("Username").fill(`carol-${tag}`);
    await dialog.getByLabel("Initial password").fill("short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog.getByText("Too short: 5 of at least 12 characters.")).toBeVisible();

    // The username is taken (in another letter case): the server's 409 lands on the field.
    await dialog.getByLabel("Username").fill("OWNER");
    await dialog.getByLabel("Initial password").fill(`Valid-${tag}-Password-2026`);
    await dialog.getByLabel("Email").fill("not-an-email");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog.getByText("Enter a valid email address")).toBeVisible();
    await dialog.getByLabel("Email").fill(`carol-${tag}@example.com`);
    await dialog.getByRole("button", { name: "Create user" }).click();
    const usernameError = dialog.locator(".field-invalid").filter({ hasText: "Username" });
    await expect(usernameError.locator(".field-error")).toBeVisible();
    await shotDialog(page, "admin-users-dialog-errors");

    // Generate fills a visible password that meets the rule.
    await dialog.getByLabel("Username").fill(`carol-${tag}`);
    await dialog.getByRole("button", { name: "Generate one" }).click();
    await expect(dialog.getByLabel("Initial password")).toHaveAttribute("type", "text");
    expect((await dialog.getByLabel("Initial password").inputValue()).length).toBe(20);
    await dialog.getByLabel("Role").selectOption({ label: "Auditor" });
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(notifications(page).getByText(`User carol-${tag} created`)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: `carol-${tag}` })).toBeVisible();
    await expect(page.getByRole("main").getByText("Auditor").first()).toBeVisible();
  });

  test("the user page edits, changes role, resets the password, ends sessions and lists tokens", async ({
    page,
  }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { user, account } = await createUser(owner, {
      username: `uma-${tag}`,
      displayName: `Uma ${tag}`,
      role: "member",
    });
    await owner.post("/tokens", { name: `uma-${tag}-ci`, userId: user.id, expiresAt: null });
    const uma = await apiSession(account); // one active session of hers
    await owner.dispose();

    await signIn(page);
    await page.goto("/admin/users");
    await page.getByLabel("Search").fill(`uma-${tag}`);
    await page.getByRole("link", { name: `Uma ${tag}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Uma ${tag}` })).toBeVisible();
    const sessions = page.getByRole("table", { name: `Sessions of uma-${tag}` });
    await expect(sessions.locator("tbody tr")).toHaveCount(1);
    const tokens = page.getByRole("table", { name: `API tokens of uma-${tag}` });
    await expect(rowWith(tokens, `uma-${tag}-ci`)).toBeVisible();
    await expect(page.getByRole("link", { name: "Manage on the API tokens page" })).toHaveAttribute(
      "href",
      `/admin/tokens?userId=${user.id}`,
    );
    await expectAccessible(page);
    await shot(page, "admin-user");

    // Edit the profile.
    await page.getByLabel("Display name").fill(`Uma Renamed ${tag}`);
    await page.getByLabel("Email").fill(`uma-${tag}@example.com`);
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(notifications(page).getByText("Profile saved")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: `Uma Renamed ${tag}` })).toBeVisible();

    // Change the role.
    await page.getByLabel("Assigned role").selectOption({ label: "Guest" });
    await page.getByRole("button", { name: "Change role" }).click();
    await expect(notifications(page).getByText(`Uma Renamed ${tag} is now Guest`)).toBeVisible();

    // "End all sessions" asks first and says what it does not touch.
    await page.getByRole("button", { name: "End all sessions" }).click();
    const endAll = page.getByRole("dialog", { name: `Sign Uma Renamed ${tag} out everywhere?` });
    await expect(endAll).toContainText("Their API tokens keep working");
    await shotDialog(page, "admin-user-dialog-end-all-sessions");
    await endAll.getByRole("button", { name: "Cancel" }).click();

    // End her one session from here.
    await sessions.getByRole("button", { name: /^End browser session/ }).click();
    await expect(notifications(page).getByText("Session ended")).toBeVisible();
    await expect(page.getByRole("heading", { name: "No active sessions" })).toBeVisible();
    expect((await uma.context.get("/api/v1/me")).status()).toBe(401);
    await uma.dispose();

    // Reset the password: the rule is checked, then the new one works.
    await page.getByRole("button", { name: "Reset", exact: true }).click();
    const reset = page.getByRole("dialog", { name: `Reset the password of uma-${tag}?` });
    await reset.getByLabel("New password").fill(`uma-${tag}-123456`);
    await reset.getByRole("button", { name: "Set new password" }).click();
    await expect(reset.getByText("It contains the username.")).toBeVisible();
    await expectAccessible(page);
    await shotDialog(page, "admin-user-dialog-reset-password");
    const newPassword = `Fresh-${tag}-Password-2026`;
    await reset.getByLabel("New password").fill(newPassword);
    await reset.getByRole("button", { name: "Set new password" }).click();
    await expect(notifications(page).getByText(`New password set for uma-${tag}`)).toBeVisible();
    const again = await apiSession({ username: `uma-${tag}`, password: newPassword });
    await again.dispose();

    // Enable after disable restores her.
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable user" }).click();
    await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Enable", exact: true }).click();
    const enable = page.getByRole("dialog", { name: `Enable Uma Renamed ${tag}?` });
    await shotDialog(page, "admin-user-dialog-enable");
    await enable.getByRole("button", { name: "Enable user" }).click();
    await expect(notifications(page).getByText(`Uma Renamed ${tag} enabled`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Disable", exact: true })).toBeVisible();

    // Her history, newest first, has followed every change made here.
    const history = page.getByRole("region", { name: "History" }).getByRole("listitem");
    await expect(history.first()).toContainText("User enabled by owner");
    await expect(history.filter({ hasText: "User disabled" })).toHaveCount(1);
    await expect(history.filter({ hasText: "Password reset" })).toHaveCount(1);
    await expect(history.filter({ hasText: "Role changed" })).toContainText("from Member to Guest");
    await shot(page, "admin-user-history");
    // And what she did herself: her sign-ins.
    await page.getByRole("link", { name: `What uma-${tag} did` }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/audit\\?actorId=${user.id}$`));
    const own = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await expect(own.first()).toContainText("Signed in");
    await expect(own.filter({ hasNotText: `uma-${tag}` })).toHaveCount(0);
  });

  test("refusals are shown plainly: own role, and an Admin acting on an Owner", async ({
    page,
  }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { account } = await createUser(owner, { username: `ada-${tag}`, role: "admin" });
    const { user: second } = await createUser(owner, { username: `oscar-${tag}`, role: "owner" });
    await owner.dispose();

    // One's own page: the role cannot be changed and one cannot disable oneself.
    await signIn(page);
    await page.goto("/admin/users?q=owner");
    await page.getByRole("link", { name: "Administrator" }).click();
    await expect(page.getByText("Another administrator has to change your role")).toBeVisible();
    await expect(page.getByLabel("Assigned role")).toBeDisabled();
    await expect(page.getByRole("button", { name: "Disable", exact: true })).toBeDisabled();
    await shot(page, "admin-user-self");

    // An Admin may not assign Owner, nor change an Owner.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await signIn(page, account);
    await page.goto(`/admin/users/${second.id}`);
    await expect(page.getByRole("heading", { level: 1, name: `oscar-${tag}` })).toBeVisible();
    await expect(page.getByText("Keyward will refuse changes you make to this user")).toBeVisible();
    await expect(
      page.getByRole("option", { name: /Owner \(beyond your own permissions\)/ }),
    ).toBeDisabled();
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Disable oscar-${tag}?` });
    await dialog.getByRole("button", { name: "Disable user" }).click();
    await expect(dialog.getByRole("alert")).toContainText("That goes beyond your own permissions");
    await expectAccessible(page);
    await shotDialog(page, "admin-user-dialog-refused");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByText("Active", { exact: true })).toBeVisible();
  });

  test("an unknown user id shows a not-found page", async ({ page }) => {
    await signIn(page);
    await page.goto("/admin/users/usr_doesnotexist");
    await expect(page.getByRole("heading", { name: "User not found" })).toBeVisible();
    await shot(page, "admin-user-not-found");
  });
});
