import type { CliToken } from "@keyward/contracts/sessions";
import { useId, useRef, useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { useDocumentTitle } from "../../../lib/use-document-title.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { useCreateCliToken } from "../api/create-cli-token.ts";

function CopyField({
  label,
  value,
  mono = true,
}: {
  label: string;
  value: string;
  mono?: boolean;
}) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // Clipboard blocked (permissions, insecure origin): select the text for Ctrl+C instead.
      setState("failed");
      inputRef.current?.select();
    }
  };
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="secret-row">
        <input
          ref={inputRef}
          id={id}
          className={mono ? "input input-mono" : "input"}
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          variant={state === "copied" ? "secondary" : "primary"}
          onClick={() => void copy()}
          leading={<Icon name={state === "copied" ? "check" : "copy"} size={16} />}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          {state === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="field-hint" aria-live="polite">
        {state === "copied"
          ? "Copied to the clipboard."
          : state === "failed"
            ? "The browser did not allow copying. The text is selected: press Ctrl+C (⌘C on a Mac)."
            : null}
      </p>
    </div>
  );
}

/**
 * /cli-auth: hands a signed-in user a short-lived session token for `keyward login`. The token is
 * shown once, held only in this component's state, and forgotten when the page is left or
 * "Done" is pressed.
 */
export function CliAuthPage() {
  useDocumentTitle("Command-line sign-in");
  const me = useCurrentUser();
  const create = useCreateCliToken();
  const { toast } = useToast();
  const [issued, setIssued] = useState<CliToken | null>(null);
  const origin = window.location.origin;
  const command = `keyward login ${origin}`;

  const issue = () =>
    create.mutate(
      { reveal: setIssued },
      { onSuccess: () => toast({ tone: "success", title: "Command-line token created" }) },
    );

  return (
    <div className="page">
      <Link to="/profile/sessions" className="back-link">
        <Icon name="arrowLeft" size={16} />
        Sessions
      </Link>
      <PageHeader
        eyebrow="Profile"
        title="Command-line sign-in"
        description="A short-lived session token signs the keyward command line in as you. It is listed among your sessions until it expires or you end it."
      />

      <section className="panel cli-panel" aria-labelledby="cli-steps">
        <h2 id="cli-steps" className="panel-title">
          Sign the command line in
        </h2>
        <ol className="steps">
          <li>
            <span className="step-number" aria-hidden="true">
              1
            </span>
            <div className="step-body">
              <p className="step-title">Run the login command</p>
              <CopyField label="Command" value={command} />
            </div>
          </li>
          <li>
            <span className="step-number" aria-hidden="true">
              2
            </span>
            <div className="step-body">
              <p className="step-title">Create a token and paste it when asked</p>
              {issued?.token ? (
                <div className="stack">
                  <Alert tone="warning" live="none" title="Copy the token now">
                    It is shown only this once and works as you,{" "}
                    <strong>{me.displayName || me.username}</strong>, with your role's permissions.
                    Anyone holding it can act as you until it expires.
                  </Alert>
                  <CopyField label="Session token" value={issued.token} />
                  {issued.expiresAt ? (
                    <p className="muted">
                      Expires{" "}
                      <time dateTime={issued.expiresAt}>{formatRelative(issued.expiresAt)}</time> (
                      {formatDateTime(issued.expiresAt)}) unless it is used; each use extends it.
                    </p>
                  ) : null}
                  <div className="cli-actions">
                    <Button
                      onClick={() => setIssued(null)}
                      leading={<Icon name="check" size={16} />}
                    >
                      Done, hide the token
                    </Button>
                    <Link to="/profile/sessions">See it among your sessions</Link>
                  </div>
                </div>
              ) : (
                <div className="stack">
                  <p className="muted">
                    The token lasts about an hour and is extended while the command line uses it.
                    You can end it at any time from Profile → Sessions.
                  </p>
                  {create.isError ? (
                    <Alert tone="danger" title="The token was not created">
                      {create.error.message}
                    </Alert>
                  ) : null}
                  <div>
                    <Button
                      variant="primary"
                      onClick={issue}
                      pending={create.isPending}
                      pendingLabel="Creating…"
                      leading={<Icon name="terminal" size={16} />}
                    >
                      Create a command-line token
                    </Button>
                  </div>
                </div>
              )}
            </div>
          </li>
        </ol>
        <p className="panel-footnote">
          For scripts and CI, use an API token instead: it does not depend on a browser session.
          With a token in <code className="code">KEYWARD_TOKEN</code> and the address in{" "}
          <code className="code">KEYWARD_URL</code>, no login is needed.
        </p>
      </section>
    </div>
  );
}
