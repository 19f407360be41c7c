// Names and descriptions are shown in tables, terminals (the CLI) and audit exports. Control
// characters and bidirectional formatting characters show nothing themselves but change what
// is shown around them: a terminal runs escape sequences (colours, a new window title, the
// clipboard), and a right-to-left override reverses the rest of a line. So they are refused.

/** Bidirectional formatting characters: ALM, LRM, RLM, LRE…RLO, LRI…PDI. */
function isDirectionFormatting(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Is this code point invisible and does it change how text around it shows: a C0 control, DEL,
 * a C1 control, or a bidirectional formatting character? (The CLI escapes exactly these.)
 */
export function isHiddenCodePoint(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || isDirectionFormatting(code);
}

/**
 * Does the text hold a hidden character (isHiddenCodePoint)? Tab and line breaks are allowed in
 * multi-line text.
 */
export function hasHiddenCharacter(text: string, { multiLine = false } = {}): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (!isHiddenCodePoint(code)) continue;
    if (multiLine && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
    return true;
  }
  return false;
}

export const HIDDEN_CHARACTER_MESSAGE = "Control and text-direction characters are not allowed";
