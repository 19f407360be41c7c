// The server's password rule (checkPasswordStrength), stated where the password is chosen. The
// server checks it again and its answer, shown next to the field, is the final word.
export const PASSWORD_RULE =
  "At least 12 characters, not all the same character, and not the username.";

/**
 * The same checks as the server, so most mistakes are caught before sending. The messages are
 * short because the rule itself is shown under the field.
 */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length === 0) return "Enter a password";
  if (password.length < 12) return `Too short: ${password.length} of at least 12 characters.`;
  if (password.length > 1024) return "Too long: at most 1,024 characters.";
  if (new Set(password).size < 4) return "Too simple: use more different characters.";
  if (username.trim() && password.toLowerCase().includes(username.trim().toLowerCase()))
    return "It contains the username.";
  return null;
}

/** A random password that meets the rule easily: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_!";
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
