export const OWNER = { username: "owner", password: "e2e-owner-password-2026" };
/** Where specs write the screenshots people look at. */
export const SHOTS_DIR = new URL("../.artifacts/screenshots/", import.meta.url).pathname;
