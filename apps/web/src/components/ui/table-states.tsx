import type { ReactNode } from "react";
import { Alert } from "./alert.tsx";
import { Button } from "./button.tsx";
import { Icon } from "./icons.tsx";
import { Skeleton } from "./spinner.tsx";

/** Grey rows the shape of the table while its first page loads. */
export function SkeletonRows({ columns, rows = 5 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <tr key={row} className="skeleton-row">
          {Array.from({ length: columns }, (_, col) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
            <td key={col}>
              <Skeleton width={`${50 + ((row * 7 + col * 13) % 40)}%`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

/** One full-width cell for an empty or failed table, so the header stays in place. */
export function TableMessageRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="table-message">
        {children}
      </td>
    </tr>
  );
}

/** "Could not be loaded" with the reason and a Retry button. */
export function LoadError({
  title,
  error,
  onRetry,
  retrying,
}: {
  title: string;
  error: { message: string } | null;
  onRetry: () => void;
  retrying: boolean;
}) {
  return (
    <Alert
      tone="danger"
      title={title}
      actions={
        <Button
          size="sm"
          onClick={onRetry}
          pending={retrying}
          pendingLabel="Retrying…"
          leading={<Icon name="refresh" size={14} />}
        >
          Retry
        </Button>
      }
    >
      {error?.message ?? "Something went wrong."}
    </Alert>
  );
}
