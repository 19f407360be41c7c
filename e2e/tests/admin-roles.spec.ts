import {
  createRoleByApi,
  mainNav,
  notifications,
  permissionBox,
  rowWith,
  secondBrowser,
  settled,
  shotDialog,
} from "../support/admin-pages.ts";
import { apiSession, bearerContext, createUser, uniqueTag } from "../support/api.ts";
import { expect, expectAccessible, shot, signIn, test } from "../support/fixtures.ts";

test.describe("Administration → Roles", () => {
  test("a custom role without “Manage API tokens” hides the tab until it is granted; disabling the user stops their token; the audit log shows each step", async ({
    page,
    browser,
  }) => {
    test.setTimeout(90_000);
    const tag = uniqueTag();
    const roleName = `Reviewers ${tag}`;
    const username = `rita-${tag}`;
    const password = `Correct-Horse-${tag}-2026`;

    await signIn(page);

    // 1. The administrator creates a custom role that can read the audit log but not manage tokens.
    await mainNav(page).getByRole("link", { name: "Roles" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Roles" })).toBeVisible();
    const roles = page.getByRole("table", { name: "Roles" });
    await settled(roles);
    await expect(rowWith(roles, "Owner")).toContainText("Fixed");
    await expect(rowWith(roles, "Owner").getByRole("button")).toHaveCount(0);
    await expectAccessible(page);
    await shot(page, "admin-roles");

    await page.getByRole("button", { name: "Create role" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create role" });
    await dialog.getByLabel("Name").fill(roleName);
    await dialog.getByLabel("Description").fill("Reviews the audit log; no API tokens.");
    await permissionBox(dialog, "Read the audit log").check();
    await expect(permissionBox(dialog, "Manage API tokens")).not.toBeChecked();
    // Managing all tokens includes viewing them: the second box follows and locks.
    await permissionBox(dialog, "Manage all users' API tokens").check();
    await expect(permissionBox(dialog, "View all users' API tokens")).toBeChecked();
    await expect(permissionBox(dialog, "View all users' API tokens")).toBeDisabled();
    // Unchecking it leaves viewing granted, unlocked, for the administrator to decide.
    await permissionBox(dialog, "Manage all users' API tokens").uncheck();
    await expect(permissionBox(dialog, "View all users' API tokens")).toBeEnabled();
    await permissionBox(dialog, "View all users' API tokens").uncheck();
    await expectAccessible(page);
    await shotDialog(page, "admin-roles-dialog-create");
    await dialog.getByRole("button", { name: "Create role" }).click();
    await expect(notifications(page).getByText("Role created")).toBeVisible();
    await expect(rowWith(roles, roleName)).toContainText("Read the audit log");
    await expect(rowWith(roles, roleName)).not.toContainText("Manage API tokens");

    // A duplicate name is refused next to the field.
    await page.getByRole("button", { name: "Create role" }).first().click();
    await dialog.getByLabel("Name").fill(roleName.toUpperCase());
    await dialog.getByRole("button", { name: "Create role" }).click();
    await expect(dialog.locator(".field-error")).toBeVisible();
    await shotDialog(page, "admin-roles-dialog-name-taken");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // 2. … and assigns a new user to it from the create-user dialog.
    await mainNav(page).getByRole("link", { name: "Users" }).click();
    await page.getByRole("button", { name: "Create user" }).click();
    const create = page.getByRole("dialog", { name: "Create user" });
    await create.getByLabel("Username").fill(username);
    await create.getByLabel("Display name").fill(`Rita ${tag}`);
    await create.getByLabel("Role").selectOption({ label: roleName });
    await create.getByLabel("Initial password").fill(password);
    await create.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Rita ${tag}` })).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/users\/usr_/);
    const userId = page.url().split("/").pop() as string;

    // 3. The user signs in elsewhere: no API tokens tab, and the address says not permitted.
    const rita = await secondBrowser(browser, { username, password });
    await expect(mainNav(rita.page).getByRole("link", { name: "API tokens" })).toHaveCount(0);
    await expect(mainNav(rita.page).getByRole("link", { name: "Audit log" })).toBeVisible();
    await rita.page.goto("/profile/tokens");
    await expect(rita.page.getByRole("heading", { name: "Not permitted" })).toBeVisible();
    await expect(rita.page.getByRole("main").getByText(roleName)).toBeVisible();
    await shot(rita.page, "custom-role-no-tokens-tab");

    // 4. The administrator grants "Manage API tokens"; after a reload the tab is there.
    await mainNav(page).getByRole("link", { name: "Roles" }).click();
    await settled(roles);
    await rowWith(roles, roleName)
      .getByRole("button", { name: `Edit ${roleName}` })
      .click();
    const edit = page.getByRole("dialog", { name: `Edit role ${roleName}` });
    await permissionBox(edit, "Manage API tokens").check();
    await shotDialog(page, "admin-roles-dialog-edit");
    await edit.getByRole("button", { name: "Save role" }).click();
    await expect(notifications(page).getByText("Role saved")).toBeVisible();
    await expect(rowWith(roles, roleName)).toContainText("Manage API tokens");
    await expect(rowWith(roles, roleName).locator(".col-count")).toHaveText("1");

    await rita.page.reload();
    await expect(mainNav(rita.page).getByRole("link", { name: "API tokens" })).toBeVisible();
    await expect(rita.page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
    await shot(rita.page, "custom-role-tokens-tab-granted");

    // A role in use cannot be deleted; the dialog says why.
    await rowWith(roles, roleName)
      .getByRole("button", { name: `Delete ${roleName}` })
      .click();
    const del = page.getByRole("dialog", { name: `Delete the role ${roleName}?` });
    await expect(del).toContainText("1 user holds");
    await del.getByRole("button", { name: "Delete role" }).click();
    await expect(del.getByRole("alert")).toContainText("still assigned");
    await expectAccessible(page);
    await shotDialog(page, "admin-roles-dialog-delete-in-use");
    await del.getByRole("button", { name: "Cancel" }).click();

    // 5. Rita has an API token that works …
    const owner = await apiSession();
    const { secret } = await owner.post<{ secret: string }>("/tokens", {
      name: `rita-${tag}-script`,
      userId,
    });
    const script = await bearerContext(secret);
    expect((await script.get("/api/v1/me")).status()).toBe(200);

    // … until the administrator disables her.
    await page.goto(`/admin/users/${userId}`);
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: `Disable Rita ${tag}?` });
    await expect(confirm).toContainText("All their API tokens stop working at once");
    await expectAccessible(page);
    await shotDialog(page, "admin-user-dialog-disable");
    await confirm.getByRole("button", { name: "Disable user" }).click();
    await expect(notifications(page).getByText(`Rita ${tag} disabled`)).toBeVisible();
    await expect(page.getByText("cannot sign in and none of their API tokens work")).toBeVisible();
    await shot(page, "admin-user-disabled");

    const refused = await script.get("/api/v1/me");
    expect(refused.status()).toBe(401);
    await script.dispose();
    // Her browser session ended too.
    await rita.page.reload();
    await expect(rita.page).toHaveURL(/\/sign-in/);
    await rita.context.close();

    // 6. The audit log has a row for each step.
    await page.goto(`/admin/audit?targetId=${userId}`);
    const audit = page.getByRole("table", { name: "Audit events" });
    await settled(audit);
    await expect(rowWith(audit, "User created")).toHaveCount(1);
    await expect(rowWith(audit, "User disabled")).toHaveCount(1);
    await expect(rowWith(audit, "User disabled")).toContainText("owner");
    await shot(page, "admin-audit-user-steps");

    const { items: roleList } = await owner.get<{ items: { id: string; name: string }[] }>(
      "/roles",
    );
    const roleId = roleList.find((role) => role.name === roleName)?.id as string;
    await page.goto(`/admin/audit?targetId=${roleId}`);
    await settled(audit);
    await expect(rowWith(audit, "Role created")).toHaveCount(1);
    await expect(rowWith(audit, "Role edited")).toHaveCount(1);

    await page.goto(`/admin/audit?actorId=${userId}&action=auth.login`);
    await settled(audit);
    await expect(rowWith(audit, "Signed in")).toHaveCount(1);
    await page.goto("/admin/audit?action=token.create");
    await settled(audit);
    await expect(rowWith(audit, `rita-${tag}-script`)).toHaveCount(1);
    await owner.dispose();
  });

  test("a custom role nobody holds can be deleted", async ({ page }) => {
    const tag = uniqueTag();
    const name = `Temp ${tag}`;
    await createRoleByApi(name, []);
    await signIn(page);
    await page.goto("/admin/roles");
    const roles = page.getByRole("table", { name: "Roles" });
    await settled(roles);
    await expect(rowWith(roles, name)).toContainText("None: signs in only");
    await rowWith(roles, name)
      .getByRole("button", { name: `Delete ${name}` })
      .click();
    const del = page.getByRole("dialog", { name: `Delete the role ${name}?` });
    await expect(del).toContainText("Nobody holds this role");
    await shotDialog(page, "admin-roles-dialog-delete");
    await del.getByRole("button", { name: "Delete role" }).click();
    await expect(notifications(page).getByText(`Role ${name} deleted`)).toBeVisible();
    await expect(rowWith(roles, name)).toHaveCount(0);
  });

  test("someone holding only users.manage gets no Roles page", async ({ page }) => {
    const owner = await apiSession();
    const tag = uniqueTag();
    const { account } = await createUser(owner, { username: `adam-${tag}`, role: "admin" });
    await owner.dispose();
    await signIn(page, account);
    await expect(mainNav(page).getByRole("link", { name: "Roles" })).toHaveCount(0);
    await page.goto("/admin/roles");
    await expect(page.getByRole("heading", { name: "Not permitted" })).toBeVisible();
  });
});
