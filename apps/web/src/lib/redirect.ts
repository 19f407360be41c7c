export const SIGN_IN_PATH = "/sign-in";

/**
 * The `next` parameter is attacker-controllable, so only same-origin, relative paths are honoured:
 * "/admin/tokens?status=enabled" yes; "//evil.example", "https://evil.example", "/\\evil" no.
 */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return null;
  try {
    const base = window.location.origin;
    const url = new URL(raw, base);
    if (url.origin !== base) return null;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Never bounce back to the sign-in page itself.
    if (url.pathname === SIGN_IN_PATH) return null;
    return path;
  } catch {
    return null;
  }
}

/** "/sign-in?next=/admin/users" for the page the user is on; plain "/sign-in" from the home page. */
export function signInPathFor(location: { pathname: string; search: string; hash: string }) {
  const here = `${location.pathname}${location.search}${location.hash}`;
  if (here === "/" || location.pathname === SIGN_IN_PATH) return SIGN_IN_PATH;
  return `${SIGN_IN_PATH}?next=${encodeURIComponent(here)}`;
}
