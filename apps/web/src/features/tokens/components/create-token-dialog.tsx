import { zodResolver } from "@hookform/resolvers/zod";
import type { Me } from "@keyward/contracts/auth";
import {
  type CreateTokenInput,
  createTokenInputSchema,
  type Token,
} from "@keyward/contracts/tokens";
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { LoadingState } from "../../../components/ui/spinner.tsx";
import { TextAreaField, TextField } from "../../../components/ui/text-field.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { useCreateToken } from "../api/create-token.ts";
import { scopesQueryOptions } from "../api/scopes.ts";
import { settingsQueryOptions } from "../api/settings.ts";
import { SecretDialog } from "./secret-dialog.tsx";
import { fieldOfError } from "./server-errors.ts";
import { ExpiryFields, ScopeFields } from "./token-form-fields.tsx";
import {
  type CreateTokenFormInput,
  createTokenFormSchema,
  expiryForApi,
  initialExpiry,
  type LifetimePolicy,
  lifetimePolicyOf,
} from "./token-form-schema.ts";
import { rememberUser } from "./user-labels.ts";
import { UserPicker } from "./user-picker.tsx";

export interface CreateTokenDialogProps {
  me: Me;
  /** Show the user picker (the caller may create tokens for others). */
  chooseUser: boolean;
  onClose: () => void;
}

const formFields = ["name", "userId", "description", "expiresAt", "scopes"] as const;

/**
 * Create a token, then show its secret once. The secret lives only in this component's state and
 * is gone when the flow closes.
 */
export default function CreateTokenDialog({ me, chooseUser, onClose }: CreateTokenDialogProps) {
  const settings = useQuery(settingsQueryOptions());
  const [revealed, setRevealed] = useState<{ secret: string; token: Token } | null>(null);
  const { toast } = useToast();

  if (revealed) {
    return (
      <SecretDialog
        secret={revealed.secret}
        token={revealed.token}
        reason="created"
        onClose={() => {
          setRevealed(null);
          onClose();
        }}
      />
    );
  }

  if (settings.isPending) {
    return (
      <Dialog open onClose={onClose} title="Create API token" size="md">
        <LoadingState label="Loading the token policy…" />
      </Dialog>
    );
  }

  return (
    <CreateTokenForm
      me={me}
      chooseUser={chooseUser}
      policy={lifetimePolicyOf(settings.data)}
      policyError={settings.isError}
      onClose={onClose}
      onCreated={(secret, token) => {
        setRevealed({ secret, token });
        toast({
          tone: "success",
          title: `${token.name} created`,
          description: token.userId === me.id ? undefined : `For ${token.userName}.`,
        });
      }}
    />
  );
}

function CreateTokenForm({
  me,
  chooseUser,
  policy,
  policyError,
  onClose,
  onCreated,
}: {
  me: Me;
  chooseUser: boolean;
  policy: LifetimePolicy;
  policyError: boolean;
  onClose: () => void;
  onCreated: (secret: string, token: Token) => void;
}) {
  const id = useId();
  const scopes = useQuery(scopesQueryOptions());
  const create = useCreateToken();
  const schema = useMemo(() => createTokenFormSchema(policy), [policy]);
  const [defaults] = useState<CreateTokenFormInput>(() => {
    rememberUser(me.id, `You (${me.username})`);
    return {
      name: "",
      userId: me.id,
      description: "",
      ...initialExpiry(policy),
      enabled: true,
      scopeMode: "all",
      scopes: [],
    };
  });
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    watch,
    formState: { errors, isSubmitted },
  } = useForm({ resolver: zodResolver(schema), defaultValues: defaults });

  const setExpiry = watch("setExpiry");
  const expiresAt = watch("expiresAt");
  const scopeMode = watch("scopeMode");
  const chosenScopes = watch("scopes");
  const userId = watch("userId");
  const revalidate = { shouldValidate: isSubmitted, shouldDirty: true } as const;

  const onSubmit = handleSubmit((values) => {
    const input: CreateTokenInput = createTokenInputSchema.parse({
      name: values.name,
      ...(values.userId && values.userId !== me.id ? { userId: values.userId } : {}),
      ...(values.description ? { description: values.description } : {}),
      expiresAt: expiryForApi(values.setExpiry, values.expiresAt),
      enabled: values.enabled,
      scopes: values.scopeMode === "all" ? ["all"] : values.scopes,
    });
    create.mutate(
      { input, reveal: onCreated },
      {
        onError: (error) => {
          const mapped = fieldOfError(error, formFields);
          for (const issue of mapped ?? []) {
            setError(
              issue.field,
              { type: "server", message: issue.message },
              { shouldFocus: true },
            );
          }
        },
      },
    );
  });

  const formError =
    create.error && fieldOfError(create.error, formFields) === null ? create.error : null;

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!create.isPending}
      title="Create API token"
      description="The secret is shown once, right after the token is created."
      size="lg"
      footer={
        <>
          <Button onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={`${id}-form`}
            variant="primary"
            pending={create.isPending}
            pendingLabel="Creating…"
          >
            Create token
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} className="stack form-grid" onSubmit={onSubmit} noValidate>
        {formError ? (
          <Alert tone="danger" title="The token was not created">
            {formError.message}
          </Alert>
        ) : null}
        {policyError ? (
          <Alert tone="warning">
            The token policy could not be loaded; the server will still enforce it.
          </Alert>
        ) : null}
        <TextField
          label="Name"
          required
          maxLength={64}
          autoComplete="off"
          data-autofocus
          hint="Unique for its owner, e.g. the script or service that will use it."
          error={errors.name?.message}
          {...register("name")}
        />
        {chooseUser ? (
          <UserPicker
            label="User"
            activeOnly
            clearable={false}
            value={userId ? [userId] : []}
            onChange={(ids) => setValue("userId", ids[0] ?? me.id, revalidate)}
            placeholder="Search users"
            hint="Who the token acts as. It can never do more than this user's role allows."
            error={errors.userId?.message}
          />
        ) : null}
        <TextAreaField
          label="Description"
          optional
          rows={2}
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
          onMode={(mode) => setValue("scopeMode", mode, revalidate)}
          onScopes={(list) => setValue("scopes", list, revalidate)}
          error={errors.scopes?.message}
        />
      </form>
    </Dialog>
  );
}
