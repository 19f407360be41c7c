import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it("reads single and combined units", () => {
    expect(parseDuration("720h")).toBe(720 * 3_600_000);
    expect(parseDuration("90d")).toBe(90 * 86_400_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    expect(parseDuration(" 45S ")).toBe(45_000);
  });

  it("refuses anything that is not a positive duration", () => {
    for (const bad of [
      "",
      "0h",
      "h",
      "10",
      "-5d",
      "1.5h",
      "1y",
      "10 d",
      "1h-2m",
      "99999999999999999d",
    ]) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });

  it("formats back to the shortest exact spelling", () => {
    expect(formatDuration(30 * 86_400_000)).toBe("30d");
    expect(formatDuration(5_400_000)).toBe("1h30m");
    expect(formatDuration(parseDuration("1d2h3m4s") ?? 0)).toBe("1d2h3m4s");
  });
});
