import { zodResolver } from "@hookform/resolvers/zod";
import { loginInputSchema } from "@keyward/contracts/auth";
import { useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { TextField } from "../../../components/ui/text-field.tsx";
import type { ApiError } from "../../../lib/api-error.ts";
import { formatWait } from "../../../lib/format.ts";
import { useLogin } from "../api/login.ts";

function SignInError({ error }: { error: ApiError }) {
  if (error.code === "rate_limited") {
    // Short waits are covered by the server's own "wait a moment"; longer ones deserve a number.
    const wait = error.retryAfterSeconds;
    return (
      <Alert tone="warning" live="alert">
        {error.message}
        {wait !== null && wait >= 10 ? ` You can try again in ${formatWait(wait)}.` : null}
      </Alert>
    );
  }
  if (error.isUnavailable) {
    return (
      <Alert tone="danger" title="Keyward is not reachable">
        {error.message}
      </Alert>
    );
  }
  if (error.code === "invalid_credentials") {
    return (
      <Alert tone="danger" title="Sign-in failed">
        {error.message}
      </Alert>
    );
  }
  return (
    <Alert tone="danger" title="Sign-in failed">
      {error.message}
      {error.requestId ? <span className="alert-meta">Request ID: {error.requestId}</span> : null}
    </Alert>
  );
}

/**
 * Username and password, checked with the same schema the server uses. On success the `me` cache
 * holds the new user, and the sign-in page moves on by itself.
 */
export function SignInForm() {
  const loginMutation = useLogin();
  const {
    register,
    handleSubmit,
    setError,
    setFocus,
    resetField,
    formState: { errors },
  } = useForm({
    resolver: zodResolver(loginInputSchema),
    defaultValues: { username: "", password: "" },
  });

  const onSubmit = handleSubmit((values) => {
    loginMutation.mutate(values, {
      onError: (error) => {
        if (error.code === "validation_failed") {
          for (const issue of error.issues) {
            const field = issue.path[0];
            if (field === "username" || field === "password") {
              setError(field, { type: "server", message: issue.message });
            }
          }
          return;
        }
        if (error.code === "invalid_credentials") {
          // Typical mistake is the password: clear it and put the cursor back there.
          resetField("password");
          setFocus("password");
        }
      },
    });
  });

  const busy = loginMutation.isPending || loginMutation.isSuccess;

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Sign in">
      {loginMutation.error ? <SignInError error={loginMutation.error} /> : null}
      <TextField
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        autoFocus
        error={errors.username?.message}
        {...register("username")}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...register("password")}
      />
      <Button
        type="submit"
        variant="primary"
        size="lg"
        block
        pending={busy}
        pendingLabel="Signing in…"
      >
        Sign in
      </Button>
    </form>
  );
}
