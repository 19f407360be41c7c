import { zodResolver } from "@hookform/resolvers/zod";
import {
  type Token,
  type UpdateTokenInput,
  updateTokenInputSchema,
} from "@keyward/contracts/tokens";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { pageHeading, permissionSetOf } from "../../../app/navigation.ts";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button, buttonClassName } from "../../../components/ui/button.tsx";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { Skeleton } from "../../../components/ui/spinner.tsx";
import { TextAreaField, TextField } from "../../../components/ui/text-field.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { isApiError } from "../../../lib/api-error.ts";
import { formatDateTime, formatRelative } from "../../../lib/format.ts";
import { useDocumentTitle } from "../../../lib/use-document-title.ts";
import { useCurrentUser } from "../../auth/api/get-me.ts";
import { StatusPanel } from "../../shell/components/status-page.tsx";
import { useDeleteToken } from "../api/delete-token.ts";
import { tokenQueryOptions } from "../api/get-token.ts";
import { useRegenerateToken } from "../api/regenerate-token.ts";
import { scopesQueryOptions } from "../api/scopes.ts";
import { settingsQueryOptions } from "../api/settings.ts";
import { useUpdateToken } from "../api/update-token.ts";
import { SecretDialog } from "./secret-dialog.tsx";
import { fieldOfError } from "./server-errors.ts";
import { expiryState } from "./token-expiry.tsx";
import { ExpiryFields, ScopeFields } from "./token-form-fields.tsx";
import {
  allowLines,
  type EditTokenFormInput,
  editTokenFormSchema,
  expiryForApi,
  type LifetimePolicy,
  lifetimePolicyOf,
  toLocalInput,
} from "./token-form-schema.ts";
import { TokenHistoryPanel } from "./token-history-panel.tsx";
import type { TokensMode } from "./tokens-table.tsx";

const formFields = ["name", "description", "expiresAt", "scopes", "allow", "status"] as const;

function formValuesOf(token: Token): EditTokenFormInput {
  const all = token.scopes.includes("all");
  return {
    name: token.name,
    description: token.description,
    setExpiry: token.expiresAt !== null,
    expiresAt: token.expiresAt ? toLocalInput(new Date(token.expiresAt)) : "",
    enabled: token.status === "enabled",
    scopeMode: all ? "all" : "custom",
    scopes: all ? [] : token.scopes,
    allow: token.allow.join("\n"),
  };
}

/** A token's page: edit it, regenerate its secret, or delete it. The owner never changes. */
export function TokenEditPage({ mode, tokenId }: { mode: TokensMode; tokenId: string }) {
  const heading = pageHeading(mode === "admin" ? "admin.tokens" : "profile.tokens");
  const listPath = mode === "admin" ? "/admin/tokens" : "/profile/tokens";
  const token = useQuery(tokenQueryOptions(tokenId));
  const settings = useQuery(settingsQueryOptions());
  useDocumentTitle(
    token.data ? `${token.data.name} · ${heading.documentTitle}` : heading.documentTitle,
  );

  const back = (
    <Link to={listPath} className="back-link">
      <Icon name="arrowLeft" size={16} />
      {heading.title}
    </Link>
  );

  if (token.isError) {
    if (isApiError(token.error) && token.error.status === 404) {
      return (
        <div className="page page-centered">
          <StatusPanel
            icon="key"
            title="Token not found"
            actions={
              <Link to={listPath} className={buttonClassName({ variant: "primary" })}>
                Back to {heading.title}
              </Link>
            }
          >
            <p>It may have been deleted, or it belongs to someone whose tokens you cannot see.</p>
          </StatusPanel>
        </div>
      );
    }
    return (
      <div className="page">
        {back}
        <Alert
          tone="danger"
          title="The token could not be loaded"
          actions={
            <Button size="sm" onClick={() => void token.refetch()} pending={token.isFetching}>
              Retry
            </Button>
          }
        >
          {token.error.message}
        </Alert>
      </div>
    );
  }

  if (token.isPending || settings.isPending) {
    return (
      <div className="page" aria-busy="true">
        {back}
        <p className="visually-hidden" role="status">
          Loading the token…
        </p>
        <div className="page-header">
          <div className="page-header-text">
            <Skeleton width={120} height={12} />
            <Skeleton width={260} height={26} />
          </div>
        </div>
        <div className="panel panel-skeleton">
          <Skeleton height={14} />
          <Skeleton height={14} width="80%" />
          <Skeleton height={14} width="60%" />
        </div>
      </div>
    );
  }

  return (
    <TokenEditor
      key={token.data.id}
      token={token.data}
      mode={mode}
      back={back}
      listPath={listPath}
      eyebrow={`${heading.eyebrow} · ${heading.title}`}
      policy={lifetimePolicyOf(settings.data)}
    />
  );
}

function TokenEditor({
  token,
  mode,
  back,
  listPath,
  eyebrow,
  policy,
}: {
  token: Token;
  mode: TokensMode;
  back: ReactNode;
  listPath: string;
  eyebrow: string;
  policy: LifetimePolicy;
}) {
  const id = useId();
  const navigate = useNavigate();
  const { toast } = useToast();
  const canReadAudit = permissionSetOf(useCurrentUser()).has("audit.read");
  const scopes = useQuery(scopesQueryOptions());
  const update = useUpdateToken();
  const regenerate = useRegenerateToken();
  const remove = useDeleteToken();
  const [confirming, setConfirming] = useState<"regenerate" | "delete" | null>(null);
  const [revealed, setRevealed] = useState<{ secret: string; token: Token } | null>(null);

  const original = useMemo(() => formValuesOf(token), [token]);
  const schema = useMemo(() => editTokenFormSchema(policy, original), [policy, original]);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    watch,
    reset,
    formState: { errors, isDirty, isSubmitted },
  } = useForm({ resolver: zodResolver(schema), defaultValues: original });

  const revalidate = { shouldValidate: isSubmitted, shouldDirty: true } as const;
  const setExpiry = watch("setExpiry");
  const expiresAt = watch("expiresAt");
  const scopeMode = watch("scopeMode");
  const chosenScopes = watch("scopes");

  const onSubmit = handleSubmit((values) => {
    const patch: UpdateTokenInput = {};
    if (values.name !== token.name) patch.name = values.name;
    if (values.description !== token.description) patch.description = values.description;
    if (
      values.setExpiry !== original.setExpiry ||
      (values.setExpiry && values.expiresAt !== original.expiresAt)
    ) {
      patch.expiresAt = expiryForApi(values.setExpiry, values.expiresAt);
    }
    const status = values.enabled ? "enabled" : "disabled";
    if (status !== token.status) patch.status = status;
    const nextScopes = values.scopeMode === "all" ? ["all"] : values.scopes;
    if ([...nextScopes].sort().join() !== [...token.scopes].sort().join())
      patch.scopes = nextScopes;
    const nextAllow = allowLines(values.allow);
    if (nextAllow.join("\n") !== token.allow.join("\n")) patch.allow = nextAllow;
    if (Object.keys(patch).length === 0) {
      reset(values);
      return;
    }
    update.mutate(
      { id: token.id, input: updateTokenInputSchema.parse(patch) },
      {
        onSuccess: (saved) => {
          reset(formValuesOf(saved));
          toast({ tone: "success", title: "Changes saved", description: saved.name });
        },
        onError: (error) => {
          for (const issue of fieldOfError(error, formFields) ?? []) {
            const field = issue.field === "status" ? "enabled" : issue.field;
            setError(field, { type: "server", message: issue.message }, { shouldFocus: true });
          }
        },
      },
    );
  });

  const formError =
    update.error && fieldOfError(update.error, formFields) === null ? update.error : null;
  const expiry = expiryState(token);

  return (
    <div className="page">
      {back}
      <PageHeader
        eyebrow={eyebrow}
        title={token.name}
        description={
          <span className="token-heading-meta">
            <code className="code">{token.id}</code>
            <span className={`status-pill status-pill-${token.status}`}>
              {token.status === "enabled" ? "Enabled" : "Disabled"}
            </span>
            {expiry === "expired" ? <span className="badge badge-danger">Expired</span> : null}
          </span>
        }
      />
      <div className="edit-grid">
        <section className="panel" aria-labelledby={`${id}-settings`}>
          <h2 id={`${id}-settings`} className="panel-title">
            Settings
          </h2>
          <form id={`${id}-form`} className="stack" onSubmit={onSubmit} noValidate>
            {formError ? (
              <Alert tone="danger" title="The changes were not saved">
                {formError.message}
              </Alert>
            ) : null}
            <TextField
              label="Name"
              required
              maxLength={64}
              autoComplete="off"
              error={errors.name?.message}
              {...register("name")}
            />
            <TextAreaField
              label="Description"
              optional
              rows={3}
              maxLength={1000}
              error={errors.description?.message}
              {...register("description")}
            />
            <ExpiryFields
              setExpiry={setExpiry}
              expiresAt={expiresAt}
              onSetExpiry={(value) => setValue("setExpiry", value, revalidate)}
              onExpiresAt={(value) => setValue("expiresAt", value, revalidate)}
              policy={policy}
              error={errors.expiresAt?.message}
            />
            <label className="check">
              <input type="checkbox" className="checkbox" {...register("enabled")} />
              <span>
                Enabled
                <span className="check-hint">A disabled token is refused until it is enabled.</span>
              </span>
            </label>
            <ScopeFields
              catalog={scopes.data}
              catalogError={scopes.isError}
              mode={scopeMode}
              scopes={chosenScopes}
              onMode={(value) => setValue("scopeMode", value, revalidate)}
              onScopes={(list) => setValue("scopes", list, revalidate)}
              error={errors.scopes?.message}
            />
            <TextAreaField
              label="Allow list"
              optional
              textareaClassName="input-mono"
              rows={3}
              spellCheck={false}
              placeholder={"token:tok_…\nuser:*"}
              hint={
                <>
                  One entry a line, <code className="code">resource:id</code> or{" "}
                  <code className="code">resource:*</code>. When present, the token may touch only
                  what is listed.
                </>
              }
              error={errors.allow?.message}
              {...register("allow")}
            />
            <div className="form-actions">
              <Button onClick={() => reset(original)} disabled={!isDirty || update.isPending}>
                Discard changes
              </Button>
              <Button
                type="submit"
                variant="primary"
                pending={update.isPending}
                pendingLabel="Saving…"
                disabled={!isDirty}
              >
                Save changes
              </Button>
            </div>
          </form>
        </section>

        <div className="stack">
          <section className="panel" aria-labelledby={`${id}-details`}>
            <h2 id={`${id}-details`} className="panel-title">
              Details
            </h2>
            <dl className="details">
              <div className="details-row">
                <dt>Owner</dt>
                <dd>
                  {token.userName}
                  {mode === "admin" ? null : <span className="muted"> (you)</span>}
                </dd>
              </div>
              <div className="details-row">
                <dt>Created</dt>
                <dd>
                  {formatDateTime(token.createdAt)}
                  {token.createdByName ? (
                    <span className="muted"> by {token.createdByName}</span>
                  ) : null}
                </dd>
              </div>
              <div className="details-row">
                <dt>Updated</dt>
                <dd>{formatDateTime(token.updatedAt)}</dd>
              </div>
              <div className="details-row">
                <dt>Last used</dt>
                <dd>
                  {token.lastUsedAt ? (
                    <>
                      {formatRelative(token.lastUsedAt)}
                      {token.lastUsedIp ? (
                        <span className="muted"> from {token.lastUsedIp}</span>
                      ) : null}
                      {token.lastUsedUserAgent ? (
                        <span className="details-sub">{token.lastUsedUserAgent}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">Never used</span>
                  )}
                </dd>
              </div>
              <div className="details-row">
                <dt>Secret</dt>
                <dd>
                  {token.secretRegeneratedAt
                    ? `Regenerated ${formatRelative(token.secretRegeneratedAt)}`
                    : "Original, from creation"}
                </dd>
              </div>
            </dl>
          </section>
          <TokenHistoryPanel tokenId={token.id} canReadAudit={canReadAudit} />
          <section className="panel panel-danger" aria-labelledby={`${id}-danger`}>
            <h2 id={`${id}-danger`} className="panel-title">
              Secret and removal
            </h2>
            <div className="danger-row">
              <div>
                <p className="danger-title">Regenerate secret</p>
                <p className="muted">
                  A new secret replaces the current one, which stops working at once.
                </p>
              </div>
              <Button
                onClick={() => {
                  regenerate.reset();
                  setConfirming("regenerate");
                }}
                leading={<Icon name="refresh" size={16} />}
              >
                Regenerate
              </Button>
            </div>
            <div className="danger-row">
              <div>
                <p className="danger-title">Delete token</p>
                <p className="muted">Every service using it stops working. Cannot be undone.</p>
              </div>
              <Button
                variant="danger"
                onClick={() => {
                  remove.reset();
                  setConfirming("delete");
                }}
                leading={<Icon name="trash" size={16} />}
              >
                Delete
              </Button>
            </div>
          </section>
        </div>
      </div>

      <ConfirmDialog
        open={confirming === "regenerate"}
        title={`Regenerate the secret of ${token.name}?`}
        confirmLabel="Regenerate secret"
        pendingLabel="Regenerating…"
        tone="danger"
        pending={regenerate.isPending}
        error={regenerate.isError ? regenerate.error.message : null}
        onCancel={() => setConfirming(null)}
        onConfirm={() =>
          regenerate.mutate(
            {
              id: token.id,
              reveal: (secret, fresh) => {
                setConfirming(null);
                setRevealed({ secret, token: fresh });
              },
            },
            {
              onSuccess: (fresh) =>
                toast({ tone: "success", title: `New secret for ${fresh.name}` }),
            },
          )
        }
      >
        <p>
          The current secret <strong>stops working at once</strong>. Every script and service using
          it fails until it is given the new secret, which is shown only once.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirming === "delete"}
        title={`Delete ${token.name}?`}
        confirmLabel="Delete token"
        pendingLabel="Deleting…"
        tone="danger"
        pending={remove.isPending}
        error={remove.isError ? remove.error.message : null}
        onCancel={() => setConfirming(null)}
        onConfirm={() =>
          remove.mutate(
            { id: token.id },
            {
              onSuccess: () => {
                toast({ tone: "success", title: `${token.name} deleted` });
                void navigate(listPath);
              },
            },
          )
        }
      >
        <p>
          Every script and service using <strong>{token.name}</strong>
          {mode === "admin" ? ` (owned by ${token.userName})` : ""} stops working at once. This
          cannot be undone.
        </p>
      </ConfirmDialog>

      {revealed ? (
        <SecretDialog
          secret={revealed.secret}
          token={revealed.token}
          reason="regenerated"
          onClose={() => setRevealed(null)}
        />
      ) : null}
    </div>
  );
}
