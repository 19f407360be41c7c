import type { BulkTokenAction } from "@keyward/contracts/tokens";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { ConfirmDialog } from "../../../components/ui/confirm-dialog.tsx";
import { Icon } from "../../../components/ui/icons.tsx";
import { useToast } from "../../../components/ui/toast.tsx";
import { useBulkTokens } from "../api/bulk-tokens.ts";

export interface BulkBarProps {
  selectedIds: string[];
  onClear: () => void;
}

const done: Record<BulkTokenAction, string> = {
  enable: "enabled",
  disable: "disabled",
  delete: "deleted",
};

function tokens(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? "token" : "tokens"}`;
}

/**
 * Shown while tokens are selected, on this page or others. The server applies an action to all of
 * them or to none, so the outcome is one sentence either way.
 */
export default function BulkBar({ selectedIds, onClear }: BulkBarProps) {
  const bulk = useBulkTokens();
  const { toast } = useToast();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const count = selectedIds.length;

  const run = (action: BulkTokenAction) => {
    bulk.mutate(
      { action, ids: selectedIds },
      {
        onSuccess: (result) => {
          setConfirmingDelete(false);
          onClear();
          const unchanged = result.unchanged.length;
          toast({
            tone: "success",
            title: `${tokens(result.changed.length)} ${done[action]}`,
            ...(unchanged > 0
              ? { description: `${tokens(unchanged)} already ${done[action]}.` }
              : {}),
          });
        },
        onError: (error) => {
          if (action === "delete") return;
          toast({
            tone: "error",
            title: `Nothing was ${done[action]}`,
            description: error.message,
          });
        },
      },
    );
  };

  const pendingAction = bulk.isPending ? bulk.variables?.action : undefined;

  return (
    <section className="bulk-bar" aria-label="Selected tokens">
      <p className="bulk-count" aria-live="polite">
        <strong>{count.toLocaleString()}</strong> selected
      </p>
      <Button variant="ghost" size="sm" onClick={onClear} disabled={bulk.isPending}>
        Clear selection
      </Button>
      <div className="bulk-actions">
        <Button
          size="sm"
          onClick={() => run("enable")}
          pending={pendingAction === "enable"}
          pendingLabel="Enabling…"
          disabled={bulk.isPending && pendingAction !== "enable"}
        >
          Enable
        </Button>
        <Button
          size="sm"
          onClick={() => run("disable")}
          pending={pendingAction === "disable"}
          pendingLabel="Disabling…"
          disabled={bulk.isPending && pendingAction !== "disable"}
        >
          Disable
        </Button>
        <Button
          size="sm"
          variant="danger"
          onClick={() => {
            bulk.reset();
            setConfirmingDelete(true);
          }}
          disabled={bulk.isPending}
          leading={<Icon name="trash" size={14} />}
        >
          Delete
        </Button>
      </div>
      <ConfirmDialog
        open={confirmingDelete}
        tone="danger"
        title={`Delete ${tokens(count)}?`}
        confirmLabel={`Delete ${tokens(count)}`}
        pendingLabel="Deleting…"
        pending={pendingAction === "delete"}
        error={bulk.isError && bulk.variables?.action === "delete" ? bulk.error.message : null}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => run("delete")}
      >
        <p>
          Every script and service using {count === 1 ? "this token" : "these tokens"} stops working
          at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
