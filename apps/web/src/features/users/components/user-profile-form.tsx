import { zodResolver } from "@hookform/resolvers/zod";
import type { UserDto } from "@keyward/contracts/users";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { TextField } from "../../../components/ui/text-field.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle, serverFieldErrors } from "../../../lib/form-errors.ts";
import { useUpdateUser } from "../api/update-user.ts";

const profileSchema = z.object({
  displayName: z.string().trim().min(1, "Enter a display name").max(128, "At most 128 characters"),
  email: z.union([z.literal(""), z.email("Enter a valid email address").max(254)]),
});
type ProfileValues = z.infer<typeof profileSchema>;
const fields = ["displayName", "email"] as const;

/** Display name and email; the username never changes (tokens and the audit log name it). */
export function UserProfileForm({ user }: { user: UserDto }) {
  const id = useId();
  const update = useUpdateUser();
  const { toast } = useToast();
  const defaults: ProfileValues = { displayName: user.displayName, email: user.email ?? "" };
  const {
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isDirty },
  } = useForm<ProfileValues>({ resolver: zodResolver(profileSchema), defaultValues: defaults });

  const onSubmit = handleSubmit((values) => {
    const input = {
      ...(values.displayName !== user.displayName ? { displayName: values.displayName } : {}),
      ...(values.email !== (user.email ?? "") ? { email: values.email || null } : {}),
    };
    if (Object.keys(input).length === 0) return reset(values);
    update.mutate(
      { id: user.id, input },
      {
        onSuccess: (saved) => {
          reset({ displayName: saved.displayName, email: saved.email ?? "" });
          toast({ tone: "success", title: "Profile saved", description: saved.displayName });
        },
        onError: (error) => {
          for (const issue of serverFieldErrors(error, fields) ?? []) {
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
    update.error && serverFieldErrors(update.error, fields) === null ? update.error : null;

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        Profile
      </h2>
      <form className="stack" onSubmit={onSubmit} noValidate>
        {formError ? (
          <Alert tone="danger" title={refusalTitle(formError)}>
            {formError.message}
          </Alert>
        ) : null}
        <TextField
          label="Display name"
          required
          maxLength={128}
          autoComplete="off"
          error={errors.displayName?.message}
          {...register("displayName")}
        />
        <TextField
          label="Email"
          optional
          type="email"
          maxLength={254}
          autoComplete="off"
          error={errors.email?.message}
          {...register("email")}
        />
        <div className="form-actions">
          <Button onClick={() => reset(defaults)} disabled={!isDirty || update.isPending}>
            Discard changes
          </Button>
          <Button
            type="submit"
            variant="primary"
            pending={update.isPending}
            pendingLabel="Saving…"
            disabled={!isDirty}
          >
            Save profile
          </Button>
        </div>
      </form>
    </section>
  );
}
