import type { UserDto } from "@keyward/contracts/users";
import { useId, useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle, serverFieldErrors } from "../../../lib/form-errors.ts";
import { useUpdateUser } from "../api/update-user.ts";
import { PasswordField } from "./password-field.tsx";
import { generatePassword, PASSWORD_RULE, passwordProblem } from "./password-rule.ts";

/** An administrator sets a new password; the user's sessions elsewhere end. */
export function ResetPasswordDialog({ user, onClose }: { user: UserDto; onClose: () => void }) {
  const id = useId();
  const update = useUpdateUser();
  const { toast } = useToast();
  const [password, setPassword] = useState("");
  const [visible, setVisible] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const localProblem = submitted ? passwordProblem(password, user.username) : null;
  const serverProblem =
    update.error && serverFieldErrors(update.error, ["password"] as const)?.[0]?.message;
  const formError =
    update.error && serverFieldErrors(update.error, ["password"] as const) === null
      ? update.error
      : null;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (passwordProblem(password, user.username)) return;
    update.mutate(
      { id: user.id, input: { password } },
      {
        onSuccess: () => {
          toast({
            tone: "success",
            title: `New password set for ${user.username}`,
            description: "Their sessions have ended; they sign in with the new password.",
          });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!update.isPending}
      size="md"
      title={`Reset the password of ${user.username}?`}
      description="They are signed out everywhere and sign in again with the new password. Their API tokens keep working."
      footer={
        <>
          <Button onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={`${id}-form`}
            variant="primary"
            pending={update.isPending}
            pendingLabel="Saving…"
          >
            Set new password
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} className="stack" onSubmit={submit} noValidate>
        {formError ? (
          <Alert tone="danger" title={refusalTitle(formError)}>
            {formError.message}
          </Alert>
        ) : null}
        <PasswordField
          label="New password"
          required
          maxLength={1024}
          value={password}
          onChange={(event) => {
            update.reset();
            setPassword(event.target.value);
          }}
          hint={PASSWORD_RULE}
          error={localProblem ?? serverProblem ?? undefined}
          visible={visible}
          onVisibleChange={setVisible}
        />
        <div>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              update.reset();
              setPassword(generatePassword());
              setVisible(true);
            }}
            leading={<Icon name="refresh" size={14} />}
          >
            Generate one
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
