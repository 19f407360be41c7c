import type { Settings } from "@keyward/contracts/settings";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { pageHeading } from "../../../app/navigation.ts";
import { Alert } from "../../../components/ui/alert.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { Skeleton } from "../../../components/ui/spinner.tsx";
import { LoadError } from "../../../components/ui/table-states.tsx";
import { SectionPage } from "../../shell/components/section-page.tsx";
import { settingsQueryOptions } from "../api/get-settings.ts";

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

function SettingRow({
  label,
  description,
  value,
  variable,
}: {
  label: string;
  description: string;
  value: ReactNode;
  variable: string;
}) {
  return (
    <div className="setting-row">
      <dt className="setting-text">
        <span className="setting-label">{label}</span>
        <span className="setting-description">{description}</span>
      </dt>
      <dd className="setting-value">
        <span className="setting-current">{value}</span>
        <span className="setting-source">
          <Icon name="lock" size={12} />
          Fixed by <code className="code">{variable}</code>
        </span>
      </dd>
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
 * Administration → Settings: token and session policy. Every value comes from the server's
 * environment, so this page shows them and where each comes from; there is nothing to edit
 * until the API offers a way to change them.
 */
export function SettingsPage() {
  const id = useId();
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
    const { tokens, sessions } = settings.data;
    content = (
      <>
        <Alert tone="info" live="none" title="Set by the deployment's environment">
          These values are read from environment variables when Keyward starts. To change one, set
          its variable for the server and restart it. A new maximum applies to tokens created or
          edited afterwards; existing tokens keep working until they expire.
        </Alert>
        <section className="panel" aria-labelledby={`${id}-tokens`}>
          <h2 id={`${id}-tokens`} className="panel-title">
            Token policy
          </h2>
          <dl className="settings-list">
            <SettingRow
              label="Maximum lifetime"
              description="The longest a new or edited API token may last."
              value={<LifetimeValue value={tokens.maxLifetime} none="Unlimited" />}
              variable="KEYWARD_MAX_TOKEN_LIFETIME"
            />
            <SettingRow
              label="Default lifetime"
              description="Offered in the create dialog; people may choose another within the maximum."
              value={<LifetimeValue value={tokens.defaultLifetime} none="Never expires" />}
              variable="KEYWARD_DEFAULT_TOKEN_LIFETIME"
            />
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
              variable="KEYWARD_MAX_TOKEN_LIFETIME"
            />
          </dl>
        </section>
        <section className="panel" aria-labelledby={`${id}-sessions`}>
          <h2 id={`${id}-sessions`} className="panel-title">
            Session policy
          </h2>
          <dl className="settings-list">
            <SettingRow
              label="Browser session duration"
              description="How long a sign-in lasts. Command-line sessions last one hour or this, whichever is shorter."
              value={<LifetimeValue value={sessions.duration} none="Not set" />}
              variable="KEYWARD_SESSION_DURATION"
            />
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
          </dl>
        </section>
      </>
    );
  }

  return <SectionPage {...pageHeading("admin.settings")}>{content}</SectionPage>;
}
