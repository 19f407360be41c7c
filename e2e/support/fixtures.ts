import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { OWNER, SHOTS_DIR } from "./constants.ts";

export async function signIn(page: Page, user: { username: string; password: string } = OWNER) {
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: /main/i })).toBeVisible();
}

/**
 * Saves a screenshot under e2e/.artifacts/screenshots for people to look at: the full page, or
 * just the window (`fullPage: false`) for dialogs, whose backdrop covers only the window.
 */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.screenshot({ path: `${SHOTS_DIR}${name}.png`, fullPage: options.fullPage ?? true });
}

/** Fails on serious or critical accessibility violations, listing them. */
export async function expectAccessible(page: Page) {
  // A dialog or toast fading in is half transparent: axe would measure its contrast mid-fade.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

export const test = base;
export { expect };
