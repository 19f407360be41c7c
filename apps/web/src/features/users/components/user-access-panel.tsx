import type { UserDto } from "@keyward/contracts/users";
import { useId, useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button, buttonClassName } from "../../../components/ui/button.tsx";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle } from "../../../lib/form-errors.ts";
import { useUpdateUser } from "../api/update-user.ts";
import { ResetPasswordDialog } from "./reset-password-dialog.tsx";

/** Password reset and disable / enable, each behind a dialog that says what will happen. */
export function UserAccessPanel({ user, isSelf }: { user: UserDto; isSelf: boolean }) {
  const id = useId();
  const update = useUpdateUser();
  const { toast } = useToast();
  const [dialog, setDialog] = useState<"password" | "status" | null>(null);
  const name = user.displayName || user.username;
  const disabling = user.status === "active";

  const changeStatus = () =>
    update.mutate(
      { id: user.id, input: { status: disabling ? "disabled" : "active" } },
      {
        onSuccess: () => {
          setDialog(null);
          toast({
            tone: "success",
            title: disabling ? `${name} disabled` : `${name} enabled`,
            description: disabling
              ? "Their sessions have ended and their API tokens are refused."
              : "They can sign in again and their API tokens work again.",
          });
        },
      },
    );

  return (
    <section className="panel panel-danger" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        Access
      </h2>
      {isSelf ? (
        <div className="danger-row">
          <div>
            <p className="danger-title">Password</p>
            <p className="muted">Your own password changes under Profile, with your current one.</p>
          </div>
          <Link to="/profile" className={buttonClassName({ variant: "secondary" })}>
            <Icon name="lock" size={16} />
            Change password
          </Link>
        </div>
      ) : (
        <div className="danger-row">
          <div>
            <p className="danger-title">Reset password</p>
            <p className="muted">Set a new password; their sessions end.</p>
          </div>
          <Button onClick={() => setDialog("password")} leading={<Icon name="lock" size={16} />}>
            Reset
          </Button>
        </div>
      )}
      <div className="danger-row">
        <div>
          <p className="danger-title">{disabling ? "Disable user" : "Enable user"}</p>
          <p className="muted">
            {disabling
              ? "Blocks sign-in, ends their sessions and stops their API tokens."
              : "Lets them sign in again; their API tokens work again."}
          </p>
        </div>
        <Button
          variant={disabling ? "danger" : "primary"}
          onClick={() => {
            update.reset();
            setDialog("status");
          }}
          disabled={isSelf}
          leading={<Icon name={disabling ? "lock" : "check"} size={16} />}
        >
          {disabling ? "Disable" : "Enable"}
        </Button>
      </div>
      {isSelf ? (
        <p className="panel-footnote">
          This is you: another administrator has to disable your account, so Keyward is never left
          without someone signed in to manage it.
        </p>
      ) : null}

      <ConfirmDialog
        open={dialog === "status"}
        title={disabling ? `Disable ${name}?` : `Enable ${name}?`}
        confirmLabel={disabling ? "Disable user" : "Enable user"}
        pendingLabel={disabling ? "Disabling…" : "Enabling…"}
        tone={disabling ? "danger" : "default"}
        pending={update.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={changeStatus}
      >
        {disabling ? (
          <ul className="consequences">
            <li>
              <strong>{user.username}</strong> cannot sign in.
            </li>
            <li>Every browser and command-line session they have ends now.</li>
            <li>
              <strong>All their API tokens stop working at once.</strong> The tokens are kept and
              work again if you enable the user.
            </li>
          </ul>
        ) : (
          <p>
            <strong>{user.username}</strong> can sign in again, and their API tokens that are
            enabled and not expired work again.
          </p>
        )}
        {update.isError ? (
          <Alert tone="danger" title={refusalTitle(update.error)}>
            {update.error.message}
          </Alert>
        ) : null}
      </ConfirmDialog>
      {dialog === "password" ? (
        <ResetPasswordDialog user={user} onClose={() => setDialog(null)} />
      ) : null}
    </section>
  );
}
