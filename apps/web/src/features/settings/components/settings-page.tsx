import { zodResolver } from "@hookform/resolvers/zod";
import { parseDuration } from "@keyward/contracts/duration";
import type { Settings, UpdateSettingsInput } from "@keyward/contracts/settings";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { pageHeading } from "../../../app/navigation.ts";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Skeleton } from "../../../components/ui/spinner.tsx";
import { LoadError } from "../../../components/ui/table-states.tsx";
import { TextField } from "../../../components/ui/text-field.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { refusalTitle, serverFieldErrors } from "../../../lib/form-errors.ts";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { settingsQueryOptions } from "../api/get-settings.ts";
import { settingsImpactQueryOptions, useUpdateSettings } from "../api/update-settings.ts";

type Lifetime = Settings["tokens"]["maxLifetime"];

const units: [number, string][] = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
  [1_000, "second"],
];

/** "90 days", "36 hours", "1 day 12 hours" for a duration in milliseconds. */
function humanDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [size, unit] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count.toLocaleString()} ${unit}${count === 1 ? "" : "s"}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ") || "0 seconds";
}

function LifetimeValue({ value, none }: { value: Lifetime; none: string }) {
  if (value.ms === null) return <span className="setting-value-none">{none}</span>;
  return (
    <>
      {humanDuration(value.ms)}
      {value.text ? <code className="code code-quiet">{value.text}</code> : null}
    </>
  );
}

function FixedBy({ variable }: { variable: string }) {
  return (
    <span className="setting-source">
      <Icon name="lock" size={12} />
      Fixed by <code className="code">{variable}</code>
    </span>
  );
}

function SettingRow({
  label,
  description,
  value,
  variable,
}: {
  label: string;
  description: string;
  value: ReactNode;
  /** The environment variable that fixes this value; absent: a value derived from others. */
  variable?: string;
}) {
  return (
    <div className="setting-row">
      <dt className="setting-text">
        <span className="setting-label">{label}</span>
        <span className="setting-description">{description}</span>
      </dt>
      <dd className="setting-value">
        <span className="setting-current">{value}</span>
        {variable ? <FixedBy variable={variable} /> : null}
      </dd>
    </div>
  );
}

/** A value the environment leaves open: its label and description, then the control. */
function EditableRow({
  label,
  description,
  children,
}: {
  label: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <div className="setting-row">
      <dt className="setting-text">
        <span className="setting-label" aria-hidden="true">
          {label}
        </span>
        <span className="setting-description">{description}</span>
      </dt>
      <dd className="setting-value setting-edit">{children}</dd>
    </div>
  );
}

function SettingsSkeleton() {
  return (
    <>
      {[0, 1].map((panel) => (
        <div key={panel} className="panel panel-skeleton" aria-hidden="true">
          <Skeleton width={160} height={16} />
          {[0, 1, 2].map((row) => (
            <div key={row} className="setting-row">
              <Skeleton width="60%" height={14} />
              <Skeleton width={120} height={14} />
            </div>
          ))}
        </div>
      ))}
    </>
  );
}

/**
 * Administration → Settings: token and session policy. A value set by its environment variable
 * is shown with the variable that fixes it; the others can be changed here (see SettingsForm).
 */
export function SettingsPage() {
  const settings = useQuery(settingsQueryOptions());

  let content: ReactNode;
  if (settings.isPending) {
    content = (
      <>
        <p className="visually-hidden" role="status">
          Loading the policy…
        </p>
        <SettingsSkeleton />
      </>
    );
  } else if (settings.isError) {
    content = (
      <LoadError
        title="The settings could not be loaded"
        error={settings.error}
        onRetry={() => void settings.refetch()}
        retrying={settings.isFetching}
      />
    );
  } else {
    content = <SettingsForm settings={settings.data} />;
  }

  return <SectionPage {...pageHeading("admin.settings")}>{content}</SectionPage>;
}

const optionalDuration = z
  .string()
  .trim()
  .refine((text) => text === "" || parseDuration(text) !== null, {
    message: "Enter a duration like 720h, 90d or 1h30m, or leave it empty",
  });

const settingsFormSchema = z
  .object({
    maxTokenLifetime: optionalDuration,
    defaultTokenLifetime: optionalDuration,
    sessionDuration: z
      .string()
      .trim()
      .refine((text) => parseDuration(text) !== null, {
        message: "Enter a duration like 24h, 8h or 30m",
      }),
    sessionRefresh: z.boolean(),
  })
  .superRefine((values, ctx) => {
    const max = parseDuration(values.maxTokenLifetime);
    const fallback = parseDuration(values.defaultTokenLifetime);
    if (max !== null && fallback !== null && fallback > max) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultTokenLifetime"],
        message: "The default lifetime cannot be longer than the maximum.",
      });
    }
  });
type SettingsValues = z.infer<typeof settingsFormSchema>;
const fields = [
  "maxTokenLifetime",
  "defaultTokenLifetime",
  "sessionDuration",
  "sessionRefresh",
] as const;

function valuesOf(settings: Settings): SettingsValues {
  const { tokens, sessions } = settings;
  const fixed = settings.fixedByEnvironment;
  return {
    maxTokenLifetime: tokens.maxLifetime.text ?? "",
    // The answer's default falls back to the maximum; the form shows only a default of its own.
    defaultTokenLifetime:
      fixed.defaultTokenLifetime || tokens.defaultLifetime.ms !== tokens.maxLifetime.ms
        ? (tokens.defaultLifetime.text ?? "")
        : "",
    sessionDuration: sessions.duration.text ?? "",
    sessionRefresh: sessions.refreshWhileInUse,
  };
}

/** Whether two duration texts mean the same (`720h` and `30d` do); empty means none. */
function sameDuration(a: string, b: string): boolean {
  return (
    (a.trim() === "" ? null : parseDuration(a)) === (b.trim() === "" ? null : parseDuration(b))
  );
}

/** Waits until the value has stopped changing for a moment (typing a duration). */
function useSettled<T>(value: T, delayMs = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** "N existing tokens exceed this maximum", asked of the server while a new maximum is typed. */
function MaxLifetimeImpact({ proposed, current }: { proposed: string; current: string }) {
  const settled = useSettled(proposed.trim());
  const ms = settled === "" ? null : parseDuration(settled);
  const changed = ms !== null && !sameDuration(settled, current);
  const impact = useQuery({ ...settingsImpactQueryOptions(settled), enabled: changed });
  if (!changed) return null;
  let text: string;
  if (impact.isPending) text = "Counting the tokens this maximum affects…";
  else if (impact.isError)
    text = `The affected tokens could not be counted: ${impact.error.message}`;
  else {
    const { tokensExceeding: n, tokensExceedingIsEstimate: estimate } = impact.data;
    text =
      n === 0
        ? "No existing tokens exceed this maximum."
        : `${estimate ? "About " : ""}${n.toLocaleString()} existing ${n === 1 ? "token exceeds" : "tokens exceed"} this maximum; ${n === 1 ? "it keeps working until it expires" : "they keep working until they expire"}.`;
  }
  return (
    <p className="field-hint setting-impact" role="status">
      {text}
    </p>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const id = useId();
  const { tokens, sessions } = settings;
  const fixed = settings.fixedByEnvironment;
  const update = useUpdateSettings();
  const { toast } = useToast();
  const defaults = valuesOf(settings);
  const {
    register,
    handleSubmit,
    reset,
    setError,
    watch,
    formState: { errors, isDirty },
  } = useForm<SettingsValues>({
    resolver: zodResolver(settingsFormSchema),
    defaultValues: defaults,
  });
  // A saved (or otherwise changed) policy becomes the form's new starting point.
  useEffect(() => reset(valuesOf(settings)), [settings, reset]);
  const editable = fields.filter((field) => !fixed[field]);
  const anyEditable = editable.length > 0;

  const onSubmit = handleSubmit((values) => {
    const input: UpdateSettingsInput = {};
    if (
      !fixed.maxTokenLifetime &&
      !sameDuration(values.maxTokenLifetime, defaults.maxTokenLifetime)
    )
      input.maxTokenLifetime = values.maxTokenLifetime || null;
    if (
      !fixed.defaultTokenLifetime &&
      !sameDuration(values.defaultTokenLifetime, defaults.defaultTokenLifetime)
    )
      input.defaultTokenLifetime = values.defaultTokenLifetime || null;
    if (!fixed.sessionDuration && !sameDuration(values.sessionDuration, defaults.sessionDuration))
      input.sessionDuration = values.sessionDuration;
    if (!fixed.sessionRefresh && values.sessionRefresh !== defaults.sessionRefresh)
      input.sessionRefresh = values.sessionRefresh;
    if (Object.keys(input).length === 0) return reset(values);
    update.mutate(input, {
      onSuccess: () => {
        toast({
          tone: "success",
          title: "Settings saved",
          description: "The new policy applies to tokens and sign-ins from now on.",
        });
      },
      onError: (error) => {
        for (const issue of serverFieldErrors(error, fields, {
          default_exceeds_max_lifetime: "defaultTokenLifetime",
        }) ?? []) {
          setError(issue.field, { type: "server", message: issue.message }, { shouldFocus: true });
        }
      },
    });
  });
  const formError =
    update.error &&
    serverFieldErrors(update.error, fields, {
      default_exceeds_max_lifetime: "defaultTokenLifetime",
    }) === null
      ? update.error
      : null;

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Token and session policy">
      {anyEditable ? (
        <Alert tone="info" live="none" title="Changes apply from now on">
          A new maximum applies to tokens created or edited afterwards; existing tokens keep working
          until they expire. A new session duration applies to the next sign-in. Values set by
          environment variables are fixed: change the variable and restart the server.
        </Alert>
      ) : (
        <Alert tone="info" live="none" title="Set by the deployment's environment">
          These values are read from environment variables when Keyward starts. To change one, set
          its variable for the server and restart it. A new maximum applies to tokens created or
          edited afterwards; existing tokens keep working until they expire.
        </Alert>
      )}
      {formError ? (
        <Alert tone="danger" title={refusalTitle(formError)}>
          {formError.message}
        </Alert>
      ) : null}
      <section className="panel" aria-labelledby={`${id}-tokens`}>
        <h2 id={`${id}-tokens`} className="panel-title">
          Token policy
        </h2>
        <dl className="settings-list">
          {fixed.maxTokenLifetime ? (
            <SettingRow
              label="Maximum lifetime"
              description="The longest a new or edited API token may last."
              value={<LifetimeValue value={tokens.maxLifetime} none="Unlimited" />}
              variable="KEYWARD_MAX_TOKEN_LIFETIME"
            />
          ) : (
            <EditableRow
              label="Maximum lifetime"
              description="The longest a new or edited API token may last. Empty: unlimited."
            >
              <TextField
                label="Maximum lifetime"
                hideLabel
                placeholder="Unlimited"
                autoComplete="off"
                spellCheck={false}
                maxLength={32}
                error={errors.maxTokenLifetime?.message}
                {...register("maxTokenLifetime")}
              />
              <MaxLifetimeImpact
                proposed={watch("maxTokenLifetime")}
                current={defaults.maxTokenLifetime}
              />
            </EditableRow>
          )}
          {fixed.defaultTokenLifetime ? (
            <SettingRow
              label="Default lifetime"
              description="Offered in the create dialog; people may choose another within the maximum."
              value={<LifetimeValue value={tokens.defaultLifetime} none="Never expires" />}
              variable="KEYWARD_DEFAULT_TOKEN_LIFETIME"
            />
          ) : (
            <EditableRow
              label="Default lifetime"
              description="Offered in the create dialog. Empty: the maximum, or never when unlimited."
            >
              <TextField
                label="Default lifetime"
                hideLabel
                placeholder={tokens.maxLifetime.text ?? "Never expires"}
                autoComplete="off"
                spellCheck={false}
                maxLength={32}
                error={errors.defaultTokenLifetime?.message}
                {...register("defaultTokenLifetime")}
              />
            </EditableRow>
          )}
          <SettingRow
            label="Tokens that never expire"
            description="Allowed only while there is no maximum lifetime."
            value={
              tokens.neverExpiresAllowed ? (
                <span className="badge badge-accent">Allowed</span>
              ) : (
                <span className="badge">Not allowed</span>
              )
            }
            {...(fixed.maxTokenLifetime ? { variable: "KEYWARD_MAX_TOKEN_LIFETIME" } : {})}
          />
        </dl>
      </section>
      <section className="panel" aria-labelledby={`${id}-sessions`}>
        <h2 id={`${id}-sessions`} className="panel-title">
          Session policy
        </h2>
        <dl className="settings-list">
          {fixed.sessionDuration ? (
            <SettingRow
              label="Browser session duration"
              description="How long a sign-in lasts. Command-line sessions last one hour or this, whichever is shorter."
              value={<LifetimeValue value={sessions.duration} none="Not set" />}
              variable="KEYWARD_SESSION_DURATION"
            />
          ) : (
            <EditableRow
              label="Browser session duration"
              description="How long a sign-in lasts (at least 5m). Command-line sessions last one hour or this, whichever is shorter."
            >
              <TextField
                label="Browser session duration"
                hideLabel
                required
                autoComplete="off"
                spellCheck={false}
                maxLength={32}
                error={errors.sessionDuration?.message}
                {...register("sessionDuration")}
              />
            </EditableRow>
          )}
          {fixed.sessionRefresh ? (
            <SettingRow
              label="Refresh while in use"
              description="Whether each request extends the session, so active people are not signed out."
              value={
                sessions.refreshWhileInUse ? (
                  <span className="badge badge-accent">On</span>
                ) : (
                  <span className="badge">Off</span>
                )
              }
              variable="KEYWARD_DISABLE_SESSION_EXPIRY_REFRESH"
            />
          ) : (
            <EditableRow
              label="Refresh while in use"
              description="Whether each request extends the session, so active people are not signed out."
            >
              <label className="check">
                <input type="checkbox" className="checkbox" {...register("sessionRefresh")} />
                <span className="check-label">Refresh while in use</span>
              </label>
            </EditableRow>
          )}
        </dl>
      </section>
      {anyEditable ? (
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
            Save settings
          </Button>
        </div>
      ) : null}
    </form>
  );
}
