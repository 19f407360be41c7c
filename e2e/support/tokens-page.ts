// Page helpers for the token screens, so specs read as what a person does.
import { expect, type Locator, type Page } from "@playwright/test";

export function tokenTable(page: Page): Locator {
  return page.getByRole("table");
}

/** The token names in the table, top to bottom. */
export function tokenNames(page: Page): Locator {
  return page.locator("table tbody .token-name-link");
}

export async function expectTokenNames(page: Page, names: string[]) {
  await expect(tokenNames(page)).toHaveText(names);
  await expect(tokenTable(page)).not.toHaveAttribute("aria-busy", "true");
}

export function filters(page: Page): Locator {
  return page.getByRole("region", { name: "Filters" });
}

/** Picks a user in a type-ahead (the filter's "Users"/"Created by", or the dialog's "User"). */
export async function pickUser(
  scope: Page | Locator,
  label: string,
  search: string,
  option: RegExp,
) {
  const box = scope.getByRole("combobox", { name: label, exact: true });
  await box.click();
  await box.fill(search);
  await scope.getByRole("option", { name: option }).click();
}

export function toast(page: Page): Locator {
  return page.getByRole("region", { name: "Notifications" });
}
