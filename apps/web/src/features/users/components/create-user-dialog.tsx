import { zodResolver } from "@hookform/resolvers/zod";
import { usernameSchema } from "@keyward/contracts/auth";
import type { Permission } from "@keyward/contracts/permissions";
import type { UserDto } from "@keyward/contracts/users";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { TextField } from "../../../components/ui/text-field.tsx";
import { refusalTitle, serverFieldErrors } from "../../../lib/form-errors.ts";
import { rolesQueryOptions } from "../../roles/api/list-roles.ts";
import { useCreateUser } from "../api/create-user.ts";
import { PasswordField } from "./password-field.tsx";
import { generatePassword, PASSWORD_RULE, passwordProblem } from "./password-rule.ts";
import { RoleOptions } from "./role-options.tsx";

const createUserFormSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().max(128, "At most 128 characters"),
    email: z.union([z.literal(""), z.email("Enter a valid email address").max(254)]),
    roleId: z.string().min(1, "Choose a role"),
    password: z.string(),
  })
  .superRefine((values, ctx) => {
    const problem = passwordProblem(values.password, values.username);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
type CreateUserFormValues = z.infer<typeof createUserFormSchema>;
const formFields = ["username", "displayName", "email", "roleId", "password"] as const;
const fieldCodes = { username_taken: "username", permissions_exceed_caller: "roleId" } as const;

export interface CreateUserDialogProps {
  callerPermissions: ReadonlySet<Permission>;
  onClose: () => void;
  onCreated: (user: UserDto) => void;
}

/** New user: who they are, their role and an initial password they should change. */
export function CreateUserDialog({ callerPermissions, onClose, onCreated }: CreateUserDialogProps) {
  const id = useId();
  const roles = useQuery(rolesQueryOptions());
  const create = useCreateUser();
  const [showPassword, setShowPassword] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    formState: { errors, isSubmitted },
  } = useForm<CreateUserFormValues>({
    resolver: zodResolver(createUserFormSchema),
    defaultValues: { username: "", displayName: "", email: "", roleId: "rol_member", password: "" },
  });

  const onSubmit = handleSubmit((values) =>
    create.mutate(
      {
        username: values.username,
        ...(values.displayName.trim() ? { displayName: values.displayName.trim() } : {}),
        ...(values.email ? { email: values.email } : {}),
        roleId: values.roleId,
        password: values.password,
      },
      {
        onSuccess: onCreated,
        onError: (error) => {
          for (const issue of serverFieldErrors(error, formFields, fieldCodes) ?? []) {
            setError(
              issue.field,
              { type: "server", message: issue.message },
              { shouldFocus: true },
            );
          }
        },
      },
    ),
  );

  const formError =
    create.error && serverFieldErrors(create.error, formFields, fieldCodes) === null
      ? create.error
      : null;

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!create.isPending}
      size="md"
      title="Create user"
      description="They sign in with this username and the initial password; tell them the password in person or over a safe channel."
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
            Create user
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} className="stack" onSubmit={onSubmit} noValidate>
        {formError ? (
          <Alert tone="danger" title={refusalTitle(formError)}>
            {formError.message}
          </Alert>
        ) : null}
        <div className="form-row">
          <TextField
            label="Username"
            required
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            hint="Letters, digits and . _ @ -. Cannot be changed later."
            error={errors.username?.message}
            {...register("username")}
          />
          <TextField
            label="Display name"
            optional
            maxLength={128}
            autoComplete="off"
            hint="Defaults to the username."
            error={errors.displayName?.message}
            {...register("displayName")}
          />
        </div>
        <TextField
          label="Email"
          optional
          type="email"
          maxLength={254}
          autoComplete="off"
          error={errors.email?.message}
          {...register("email")}
        />
        <div className={errors.roleId ? "field field-invalid" : "field"}>
          <label htmlFor={`${id}-role`} className="field-label">
            Role
            <span className="field-required" aria-hidden="true">
              {" "}
              *
            </span>
          </label>
          <select
            id={`${id}-role`}
            className="input select"
            required
            aria-invalid={errors.roleId ? true : undefined}
            aria-describedby={`${id}-role-hint`}
            disabled={!roles.data}
            {...register("roleId")}
          >
            {roles.data ? (
              <RoleOptions roles={roles.data.items} callerPermissions={callerPermissions} />
            ) : (
              <option value="rol_member">
                {roles.isError ? "Roles unavailable" : "Loading roles…"}
              </option>
            )}
          </select>
          {errors.roleId ? <p className="field-error">{errors.roleId.message}</p> : null}
          <p id={`${id}-role-hint`} className="field-hint">
            {roles.isError
              ? `The roles could not be loaded: ${roles.error.message}`
              : "What they may do. You can change it later on their page."}
          </p>
        </div>
        <div className="password-row">
          <PasswordField
            label="Initial password"
            required
            maxLength={1024}
            hint={PASSWORD_RULE}
            error={errors.password?.message}
            visible={showPassword}
            onVisibleChange={setShowPassword}
            {...register("password")}
          />
          <Button
            size="sm"
            variant="ghost"
            className="password-generate"
            onClick={() => {
              setValue("password", generatePassword(), {
                shouldValidate: isSubmitted,
                shouldDirty: true,
              });
              setShowPassword(true);
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
