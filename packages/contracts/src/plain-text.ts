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
 * Does the text hold a character that is invisible and changes how text around it shows: a C0
 * control (tab and line breaks allowed in multi-line text), DEL, a C1 control, or a bidirectional
 * formatting character?
 */
export function hasHiddenCharacter(text: string, { multiLine = false } = {}): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20) {
      if (multiLine && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
      return true;
    }
    if ((code >= 0x7f && code <= 0x9f) || isDirectionFormatting(code)) return true;
  }
  return false;
}

export const HIDDEN_CHARACTER_MESSAGE = "Control and text-direction characters are not allowed";
