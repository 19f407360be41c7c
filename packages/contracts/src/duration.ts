// Durations as operators write them: "90d", "720h", "1h30m", "45s". Shared by the server's
// configuration, the web form and the command line so all three accept exactly the same text.

const unitMs = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
const durationPattern = /^(?:\d+[wdhms])+$/;

/** Milliseconds for a duration string, or null when the text is not a positive duration. */
export function parseDuration(text: string): number | null {
  const compact = text.trim().toLowerCase();
  if (!durationPattern.test(compact)) return null;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([wdhms])/g)) {
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
  }
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

/** The shortest exact spelling of a duration: 2592000000 → "30d", 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1000) * 1000;
  if (rest <= 0) return "0s";
  let text = "";
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = unitMs[unit];
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
