import { describe, expect, it } from "vitest";
import { hasHiddenCharacter } from "./plain-text.ts";

describe("hasHiddenCharacter", () => {
  it("passes ordinary text in any script, emoji included", () => {
    for (const text of [
      "ci-deploy",
      "Zoë's token",
      "ключ",
      "مفتاح",
      "デプロイ",
      "🚀 deploy",
      "a b",
    ])
      expect(hasHiddenCharacter(text), text).toBe(false);
  });

  it("finds terminal escapes, other controls and text-direction overrides", () => {
    for (const text of [
      "x\u001b[31mred",
      "title\u0007",
      "nul\u0000",
      "del\u007f",
      "c1\u009b31m",
      "txt.\u202eexe",
      "\u2066isolate\u2069",
      "mark\u200f",
      "line\nbreak",
      "tab\there",
    ])
      expect(hasHiddenCharacter(text), JSON.stringify(text)).toBe(true);
  });

  it("allows tabs and line breaks in multi-line text, nothing else", () => {
    expect(hasHiddenCharacter("one\r\ntwo\tthree", { multiLine: true })).toBe(false);
    expect(hasHiddenCharacter("one\n\u001b[2J", { multiLine: true })).toBe(true);
    expect(hasHiddenCharacter("rtl \u202e", { multiLine: true })).toBe(true);
  });
});
