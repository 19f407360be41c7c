import { mainNav, notifications } from "../support/admin-pages.ts";
import { apiSession, createUser, uniqueTag } from "../support/api.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";

test.describe("Profile → Change password", () => {
  test("a member changes their own password: a wrong current one is refused, other sessions end, the new one signs in", async ({
    page,
  }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { account } = await createUser(owner, {
      username: `pat-${tag}`,
      displayName: `Pat ${tag}`,
      role: "member",
    });
    await owner.dispose();
    const elsewhere = await apiSession(account);
    const newPassword = `a new passphrase for ${tag}`;

    await signIn(page, account);
    await mainNav(page).getByRole("link", { name: "Profile" }).click();
    const panel = page.getByRole("region", { name: "Change password" });
    await expect(panel).toBeVisible();

    // Nothing typed: each field says what it needs, and nothing is sent.
    await panel.getByRole("button", { name: "Change password" }).click();
    await expect(panel.getByText("Enter your current password")).toBeVisible();

    await panel
      .getByRole("textbox", { name: "Current password", exact: true })
      .fill("not my password at all");
    await panel.getByRole("textbox", { name: "New password", exact: true }).fill(newPassword);
    await panel.getByRole("textbox", { name: "New password again", exact: true }).fill(newPassword);
    await panel.getByRole("button", { name: "Change password" }).click();
    await expect(panel.getByText("That is not your current password")).toBeVisible();
    await expectAccessible(page);
    await shot(page, "profile-change-password-wrong");

    await panel
      .getByRole("textbox", { name: "Current password", exact: true })
      .fill(account.password);
    await panel.getByRole("button", { name: "Change password" }).click();
    await expect(notifications(page)).toContainText("Password changed");
    await expect(notifications(page)).toContainText("other session has been signed out");
    await expect(panel.getByRole("textbox", { name: "Current password", exact: true })).toHaveValue(
      "",
    );
    await shot(page, "profile-change-password-done");

    // The other session is over; this one goes on until signed out.
    const me = await elsewhere.context.get("/api/v1/me");
    expect(me.status()).toBe(401);
    await elsewhere.dispose();
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, { username: account.username, password: newPassword });
  });
});
