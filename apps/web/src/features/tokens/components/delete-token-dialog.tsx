import type { Token } from "@keyward/contracts/tokens";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { useDeleteToken } from "../api/delete-token.ts";

export interface DeleteTokenDialogProps {
  token: Token;
  /** Name the owner too (on the administration page, where tokens belong to many users). */
  showOwner: boolean;
  onClose: () => void;
  onDeleted: (token: Token) => void;
}

/** "Delete this token?" with what that means for the services using it. */
export default function DeleteTokenDialog({
  token,
  showOwner,
  onClose,
  onDeleted,
}: DeleteTokenDialogProps) {
  const deleteToken = useDeleteToken();
  const { toast } = useToast();
  return (
    <ConfirmDialog
      open
      tone="danger"
      title={`Delete ${token.name}?`}
      confirmLabel="Delete token"
      pendingLabel="Deleting…"
      pending={deleteToken.isPending}
      error={deleteToken.isError ? deleteToken.error.message : null}
      onCancel={onClose}
      onConfirm={() =>
        deleteToken.mutate(
          { id: token.id },
          {
            onSuccess: () => {
              toast({ tone: "success", title: `${token.name} deleted` });
              onDeleted(token);
            },
          },
        )
      }
    >
      <p>
        Every script and service using <strong>{token.name}</strong>
        {showOwner ? ` (owned by ${token.userName})` : ""} stops working at once. This cannot be
        undone.
      </p>
    </ConfirmDialog>
  );
}
