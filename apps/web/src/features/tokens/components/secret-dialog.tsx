import type { Token } from "@keyward/contracts/tokens";
import { useId, useRef, useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { formatDateTime } from "../../../lib/format.ts";

export interface SecretDialogProps {
  /** The secret, held only by the caller's component state; it is dropped when this closes. */
  secret: string;
  token: Token;
  /** "created" after create, "regenerated" after regenerate. */
  reason: "created" | "regenerated";
  onClose: () => void;
}

/**
 * Shows a token's secret the one time it exists in the browser. It cannot be dismissed by Escape
 * or a stray click: closing is a button, and closing before copying asks once more.
 */
export function SecretDialog({ secret, token, reason, onClose }: SecretDialogProps) {
  const id = useId();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);
  const [confirmingClose, setConfirmingClose] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
      setCopyFailed(false);
      setConfirmingClose(false);
    } catch {
      // Clipboard blocked (permissions, insecure origin): select the text for Ctrl+C instead.
      setCopyFailed(true);
      inputRef.current?.select();
    }
  };

  const close = () => {
    if (!copied && !confirmingClose) {
      setConfirmingClose(true);
      return;
    }
    onClose();
  };

  return (
    <Dialog
      open
      onClose={close}
      dismissible={false}
      size="md"
      title={reason === "created" ? "API token created" : "New secret generated"}
      description={
        <>
          <strong>{token.name}</strong> · {token.userName} ·{" "}
          {token.expiresAt ? `expires ${formatDateTime(token.expiresAt)}` : "never expires"}
        </>
      }
      footer={
        <Button variant={confirmingClose ? "danger" : "primary"} onClick={close}>
          {confirmingClose ? "Close without copying" : copied ? "Done" : "I have saved it, close"}
        </Button>
      }
    >
      <div className="stack">
        <Alert tone="warning" live="none" title="Copy the secret now">
          It is shown only this once. Keyward stores only a hash of it, so nobody can show it again;
          if it is lost, regenerate the token.
          {reason === "regenerated" ? " The previous secret has stopped working." : ""}
        </Alert>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-secret`}>
            Secret
          </label>
          <div className="secret-row">
            <textarea
              ref={inputRef}
              id={`${id}-secret`}
              className="input input-mono secret-value"
              readOnly
              rows={2}
              value={secret}
              spellCheck={false}
              autoComplete="off"
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button
              variant={copied ? "secondary" : "primary"}
              onClick={() => void copy()}
              leading={<Icon name={copied ? "check" : "copy"} size={16} />}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="field-hint" aria-live="polite">
            {copied
              ? "Copied to the clipboard."
              : copyFailed
                ? "The browser did not allow copying. The secret is selected: press Ctrl+C (⌘C on a Mac)."
                : "Use it as a Bearer token: Authorization: Bearer <secret>"}
          </p>
        </div>
        {confirmingClose ? (
          <Alert tone="danger" live="alert">
            You have not copied the secret. Once closed it cannot be shown again.
          </Alert>
        ) : null}
      </div>
    </Dialog>
  );
}
