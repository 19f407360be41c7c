import type { SessionInfo } from "@keyward/contracts/sessions";

/**
 * "Chrome on Linux" from a user-agent string: enough to recognise a device at a glance. The full
 * string stays available as a tooltip and in the row's accessible text.
 */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  if (/^keyward-cli|keyward\//i.test(userAgent)) return "Keyward command line";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /OPR\//.test(userAgent)
      ? "Opera"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /HeadlessChrome\//.test(userAgent)
          ? "Headless Chrome"
          : /Chrome\//.test(userAgent)
            ? "Chrome"
            : /Safari\//.test(userAgent)
              ? "Safari"
              : /curl\//i.test(userAgent)
                ? "curl"
                : /node|undici/i.test(userAgent)
                  ? "Node.js"
                  : null;
  const os = /Windows/.test(userAgent)
    ? "Windows"
    : /Mac OS X|Macintosh/.test(userAgent)
      ? "macOS"
      : /Android/.test(userAgent)
        ? "Android"
        : /iPhone|iPad/.test(userAgent)
          ? "iOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 40);
}

export const sessionKindLabels: Record<SessionInfo["kind"], string> = {
  browser: "Browser",
  cli: "Command line",
};
