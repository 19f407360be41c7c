import { useId, useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle, serverFieldErrors } from "../../../lib/form-errors.ts";
import { PasswordField } from "../../users/components/password-field.tsx";
import { PASSWORD_RULE, passwordProblem } from "../../users/components/password-rule.ts";
import { useChangeOwnPassword } from "../api/change-own-password.ts";

const FIELDS = ["currentPassword", "newPassword"] as const;

/** The signed-in user changes their own password; their other sessions end. */
export function ChangePasswordPanel({ username }: { username: string }) {
  const id = useId();
  const change = useChangeOwnPassword();
  const { toast } = useToast();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeated, setRepeated] = useState("");
  const [submitted, setSubmitted] = useState(false);

  const problems = {
    currentPassword: current ? null : "Enter your current password",
    newPassword: passwordProblem(next, username),
    repeated: repeated === next ? null : "The two new passwords differ",
  };
  const shown = (problem: string | null) => (submitted ? (problem ?? undefined) : undefined);
  const serverIssues = change.error
    ? serverFieldErrors(change.error, FIELDS, { wrong_password: "currentPassword" })
    : null;
  const serverProblem = (field: (typeof FIELDS)[number]) =>
    serverIssues?.find((issue) => issue.field === field)?.message;
  const formError = change.error && serverIssues === null ? change.error : null;

  const edit = (set: (value: string) => void) => (event: React.ChangeEvent<HTMLInputElement>) => {
    change.reset();
    set(event.target.value);
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.values(problems).some(Boolean)) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: ({ otherSessionsEnded }) => {
          toast({
            tone: "success",
            title: "Password changed",
            description:
              otherSessionsEnded > 0
                ? `Your ${otherSessionsEnded === 1 ? "other session has" : `${otherSessionsEnded} other sessions have`} been signed out. Your API tokens keep working.`
                : "Your API tokens keep working.",
          });
          setCurrent("");
          setNext("");
          setRepeated("");
          setSubmitted(false);
        },
      },
    );
  };

  return (
    <section className="panel profile-password" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        Change password
      </h2>
      <form className="stack" onSubmit={submit} noValidate>
        {formError ? (
          <Alert tone="danger" title={refusalTitle(formError)}>
            {formError.message}
          </Alert>
        ) : null}
        {/* For password managers: whose password this is. */}
        <input
          type="text"
          name="username"
          value={username}
          autoComplete="username"
          readOnly
          hidden
        />
        <PasswordField
          label="Current password"
          autoComplete="current-password"
          required
          maxLength={1024}
          value={current}
          onChange={edit(setCurrent)}
          error={shown(problems.currentPassword) ?? serverProblem("currentPassword")}
        />
        <PasswordField
          label="New password"
          required
          maxLength={1024}
          value={next}
          onChange={edit(setNext)}
          hint={PASSWORD_RULE}
          error={shown(problems.newPassword) ?? serverProblem("newPassword")}
        />
        <PasswordField
          label="New password again"
          required
          maxLength={1024}
          value={repeated}
          onChange={edit(setRepeated)}
          error={shown(problems.repeated)}
        />
        <div>
          <Button type="submit" variant="primary" pending={change.isPending} pendingLabel="Saving…">
            Change password
          </Button>
        </div>
        <p className="panel-footnote">Your other sessions are signed out; this one stays.</p>
      </form>
    </section>
  );
}
