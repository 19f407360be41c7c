import { zodResolver } from "@hookform/resolvers/zod";
import {
  permissions as allPermissions,
  type Permission,
  permissionLabels,
  permissionSchema,
} from "@keyward/contracts/permissions";
import { type RoleDto, roleDescriptionSchema, roleNameSchema } from "@keyward/contracts/roles";
import { useId, useMemo } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { TextAreaField, TextField } from "../../../components/ui/text-field.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle, serverFieldErrors } from "../../../lib/form-errors.ts";
import { useCreateRole } from "../api/create-role.ts";
import { useUpdateRole } from "../api/update-role.ts";
import { impliedBy, permissionHints } from "./permission-info.ts";

const roleFormSchema = z.object({
  name: roleNameSchema,
  description: roleDescriptionSchema,
  permissions: z.array(permissionSchema),
});
type RoleFormValues = z.infer<typeof roleFormSchema>;
const formFields = ["name", "description", "permissions"] as const;

export interface RoleFormDialogProps {
  /** The role to edit; absent to create a custom role. */
  role?: RoleDto;
  /** What the caller's own role grants: nobody grants more than they hold. */
  callerPermissions: ReadonlySet<Permission>;
  onClose: () => void;
}

/** Normalises a checklist: implied permissions are added, order follows the catalog. */
function withImplied(list: readonly Permission[]): Permission[] {
  const set = new Set(list);
  for (const [implied, by] of Object.entries(impliedBy) as [Permission, Permission][]) {
    if (set.has(by)) set.add(implied);
  }
  return allPermissions.filter((p) => set.has(p));
}

/** Create a custom role, or edit a role's name (custom only), description and permissions. */
export function RoleFormDialog({ role, callerPermissions, onClose }: RoleFormDialogProps) {
  const id = useId();
  const { toast } = useToast();
  const create = useCreateRole();
  const update = useUpdateRole();
  const mutation = role ? update : create;
  const defaults = useMemo<RoleFormValues>(
    () => ({
      name: role?.name ?? "",
      description: role?.description ?? "",
      permissions: role ? withImplied(role.permissions) : [],
    }),
    [role],
  );
  const {
    register,
    handleSubmit,
    setValue,
    watch,
    setError,
    formState: { errors, isDirty },
  } = useForm<RoleFormValues>({ resolver: zodResolver(roleFormSchema), defaultValues: defaults });
  const chosen = watch("permissions");
  const chosenSet = new Set(chosen);

  const toggle = (permission: Permission, checked: boolean) => {
    const next = new Set(chosen);
    if (checked) next.add(permission);
    else next.delete(permission);
    setValue("permissions", withImplied([...next]), { shouldDirty: true });
  };

  const onSubmit = handleSubmit((values) => {
    const handlers = {
      onSuccess: (saved: RoleDto) => {
        toast({
          tone: "success",
          title: role ? "Role saved" : "Role created",
          description: `${saved.name} · ${saved.permissions.length} ${saved.permissions.length === 1 ? "permission" : "permissions"}`,
        });
        onClose();
      },
      onError: (error: Parameters<typeof serverFieldErrors>[0]) => {
        for (const issue of serverFieldErrors(error, formFields, {
          role_name_taken: "name",
        }) ?? []) {
          setError(issue.field, { type: "server", message: issue.message }, { shouldFocus: true });
        }
      },
    };
    if (role) {
      update.mutate(
        {
          id: role.id,
          input: {
            ...(role.builtin || values.name === role.name ? {} : { name: values.name }),
            ...(values.description === role.description ? {} : { description: values.description }),
            permissions: values.permissions,
          },
        },
        handlers,
      );
    } else {
      create.mutate(
        {
          name: values.name,
          ...(values.description ? { description: values.description } : {}),
          permissions: values.permissions,
        },
        handlers,
      );
    }
  });

  const formError =
    mutation.error &&
    serverFieldErrors(mutation.error, formFields, { role_name_taken: "name" }) === null
      ? mutation.error
      : null;

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!mutation.isPending}
      size="md"
      title={role ? `Edit role ${role.name}` : "Create role"}
      description={
        role?.builtin
          ? "A built-in role keeps its name; its description and permissions can change. Changes apply to everyone holding it at their next request."
          : "Users with this role get exactly the permissions checked here."
      }
      footer={
        <>
          <Button onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={`${id}-form`}
            variant="primary"
            pending={mutation.isPending}
            pendingLabel="Saving…"
            disabled={role !== undefined && !isDirty}
          >
            {role ? "Save role" : "Create role"}
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
        <TextField
          label="Name"
          required
          maxLength={64}
          autoComplete="off"
          readOnly={role?.builtin}
          hint={role?.builtin ? "Built-in roles keep their names." : undefined}
          error={errors.name?.message}
          {...register("name")}
        />
        <TextAreaField
          label="Description"
          optional
          rows={2}
          maxLength={500}
          error={errors.description?.message}
          {...register("description")}
        />
        <fieldset className="fieldset">
          <legend className="field-label">Permissions</legend>
          <ul className="permission-checklist">
            {allPermissions.map((permission) => {
              const impliedFrom = impliedBy[permission];
              const implied = impliedFrom !== undefined && chosenSet.has(impliedFrom);
              const notHeld = !callerPermissions.has(permission);
              const hint = implied
                ? `Included in “${permissionLabels[impliedFrom]}”.`
                : notHeld
                  ? "Your own role does not grant this, so you cannot grant it."
                  : permissionHints[permission];
              return (
                <li key={permission}>
                  <label className={notHeld || implied ? "check check-disabled" : "check"}>
                    <input
                      type="checkbox"
                      className="checkbox"
                      checked={chosenSet.has(permission)}
                      disabled={implied || (notHeld && !chosenSet.has(permission))}
                      onChange={(event) => toggle(permission, event.target.checked)}
                    />
                    <span>
                      <span className="check-label">{permissionLabels[permission]}</span>
                      <code className="code code-quiet">{permission}</code>
                      <span className="check-hint">{hint}</span>
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          {errors.permissions ? <p className="field-error">{errors.permissions.message}</p> : null}
          {chosen.length === 0 ? (
            <p className="field-hint">
              With no permissions, holders can sign in and look after their own profile and sessions
              only.
            </p>
          ) : null}
        </fieldset>
      </form>
    </Dialog>
  );
}
