import { Component, type ReactNode } from "react";
import { type Location, useLocation } from "react-router";
import { Button } from "../components/ui/button.tsx";
import { Icon } from "../components/ui/icons.tsx";
import { StatusPanel } from "../features/shell/components/status-page.tsx";
import { errorMessage } from "../lib/api-error.ts";
import { useDocumentTitle } from "../lib/use-document-title.ts";

function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(
      error.message,
    )
  );
}

/**
 * Error boundary for routes. A failed page chunk usually means a new version was deployed while
 * the tab was open, so we offer a reload rather than a stack trace.
 */
export function RouteError({ error, fullPage = false }: { error: unknown; fullPage?: boolean }) {
  useDocumentTitle("Something went wrong");
  const chunkFailed = isChunkLoadError(error);
  const detail = errorMessage(error);

  const panel = (
    <StatusPanel
      icon="alert"
      tone="danger"
      title={chunkFailed ? "Keyward has been updated" : "Something went wrong"}
      actions={
        <Button
          variant="primary"
          onClick={() => window.location.reload()}
          leading={<Icon name="refresh" size={16} />}
        >
          Reload the page
        </Button>
      }
    >
      <p>
        {chunkFailed
          ? "Part of the app could not be loaded, usually because a newer version is available. Reloading fixes it."
          : "This page ran into a problem. Reloading usually helps; if it keeps happening, tell your administrator."}
      </p>
      {chunkFailed ? null : <p className="status-meta">{detail}</p>}
    </StatusPanel>
  );

  if (!fullPage) return <div className="page page-centered">{panel}</div>;
  return (
    <div className="standalone">
      <main id="main" className="standalone-main">
        {panel}
      </main>
    </div>
  );
}

interface BoundaryProps {
  fullPage: boolean;
  location: Location;
  children: ReactNode;
}

interface BoundaryState {
  failed: { error: unknown } | null;
  location: Location;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: null, location: this.props.location };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { failed: { error } };
  }

  // Going somewhere else clears the error, as a route's error element did.
  static getDerivedStateFromProps(
    props: BoundaryProps,
    state: BoundaryState,
  ): Partial<BoundaryState> | null {
    return props.location === state.location ? null : { failed: null, location: props.location };
  }

  override render() {
    const { failed } = this.state;
    if (!failed) return this.props.children;
    return <RouteError error={failed.error} fullPage={this.props.fullPage} />;
  }
}

/** Catches what a route throws while rendering, including a page module that fails to load. */
export function RouteErrorBoundary({
  fullPage = false,
  children,
}: {
  fullPage?: boolean;
  children: ReactNode;
}) {
  return (
    <Boundary fullPage={fullPage} location={useLocation()}>
      {children}
    </Boundary>
  );
}
