// Page helpers for the administration screens (users, roles, sessions, audit log), so specs read
// as what an administrator does.
import { type Browser, expect, type Locator, type Page } from "@playwright/test";
import { type Account, apiSession } from "./api.ts";
import { SHOTS_DIR } from "./constants.ts";
import { signIn } from "./fixtures.ts";

export function notifications(page: Page): Locator {
  return page.getByRole("region", { name: "Notifications" });
}

export function mainNav(page: Page): Locator {
  return page.getByRole("navigation", { name: "Main" });
}

/** Waits until a table has finished loading (no skeleton, not busy). */
export async function settled(table: Locator) {
  await expect(table).not.toHaveAttribute("aria-busy", "true");
  await expect(table.locator("tr.skeleton-row")).toHaveCount(0);
}

/** The row of a table that contains `text`. */
export function rowWith(table: Locator, text: string | RegExp): Locator {
  return table.locator("tbody tr").filter({ hasText: text });
}

/** Signs in as `account` in a browser context of its own (a second person at another desk). */
export async function secondBrowser(browser: Browser, account: Account) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, account);
  return { context, page };
}

/** Creates a custom role through the API, as the owner. */
export async function createRoleByApi(name: string, permissions: string[]) {
  const owner = await apiSession();
  try {
    return await owner.post<{ id: string; name: string }>("/roles", { name, permissions });
  } finally {
    await owner.dispose();
  }
}

/** The role dialog's checkbox for a permission, found by its label ("Manage API tokens"). */
export function permissionBox(dialog: Locator, label: string): Locator {
  return dialog.getByRole("checkbox", { name: new RegExp(`^${label.replace(/'/g, ".")}`) });
}

/**
 * A screenshot of what is on screen (not the full page) for dialogs: a full-page capture of a
 * scrolled page shows the modal over a displaced background.
 */
export async function shotDialog(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS_DIR}${name}.png`, fullPage: false });
}
