import { checkPasswordStrength } from "../../auth/password.ts";
import { ValidationError } from "../errors.ts";

/** Refuses a weak password as a `password` field issue that states the rule. */
export function assertStrongPassword(password: string, username: string): void {
  const verdict = checkPasswordStrength(password, username);
  if (!verdict.ok) {
    throw new ValidationError(verdict.message, [
      { path: ["password"], message: verdict.message, code: "weak_password" },
    ]);
  }
}
