import type { CSSProperties } from "react";

export interface SpinnerProps {
  size?: number;
  /** Announced to screen readers; `null` when the surrounding element already says it. */
  label?: string | null;
  className?: string;
}

export function Spinner({ size = 20, label = "Loading", className }: SpinnerProps) {
  return (
    <span
      className={["spinner", className].filter(Boolean).join(" ")}
      style={{ width: size, height: size }}
      role={label ? "status" : undefined}
      aria-hidden={label ? undefined : true}
    >
      {label ? <span className="visually-hidden">{label}</span> : null}
    </span>
  );
}

export interface SkeletonProps {
  width?: CSSProperties["width"];
  height?: CSSProperties["height"];
  /** Rounded pill (avatars, badges) instead of a soft rectangle. */
  round?: boolean;
  className?: string;
}

/** A placeholder block; always hidden from assistive technology (pair with a status message). */
export function Skeleton({ width = "100%", height = 12, round = false, className }: SkeletonProps) {
  return (
    <span
      aria-hidden="true"
      className={["skeleton", round ? "skeleton-round" : "", className ?? ""]
        .filter(Boolean)
        .join(" ")}
      style={{ width, height }}
    />
  );
}

/** A centred spinner with a short message, for a whole page or panel that is loading. */
export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading-state" role="status">
      <Spinner size={24} label={null} />
      <span>{label}</span>
    </div>
  );
}
