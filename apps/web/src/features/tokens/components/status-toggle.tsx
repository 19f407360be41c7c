import type { Token } from "@keyward/contracts/tokens";
import { useToast } from "../../../components/ui/toast.tsx";
import { useSetTokenStatus } from "../api/update-token.ts";

/**
 * A token's status in the table; clicking flips it. The row changes at once (optimistic update)
 * and goes back, with an error toast, if the server refuses.
 */
export function StatusToggle({ token, canManage }: { token: Token; canManage: boolean }) {
  const setStatus = useSetTokenStatus();
  const { toast } = useToast();
  const enabled = token.status === "enabled";
  const label = enabled ? "Enabled" : "Disabled";

  if (!canManage) {
    return <span className={`status-pill status-pill-${token.status}`}>{label}</span>;
  }

  return (
    <button
      type="button"
      role="switch"
      aria-checked={enabled}
      aria-label={`Status of ${token.name}`}
      title={enabled ? "Click to disable" : "Click to enable"}
      className={`status-pill status-pill-${token.status} status-pill-button`}
      onClick={() =>
        setStatus.mutate(
          { id: token.id, status: enabled ? "disabled" : "enabled" },
          {
            onSuccess: (changed) =>
              toast({
                tone: "success",
                title: `${changed.name} ${changed.status === "enabled" ? "enabled" : "disabled"}`,
              }),
            onError: (error) =>
              toast({
                tone: "error",
                title: `Could not ${enabled ? "disable" : "enable"} ${token.name}`,
                description: error.message,
              }),
          },
        )
      }
    >
      <span className="status-dot" aria-hidden="true" />
      {label}
    </button>
  );
}
