import type { UserStatus } from "@keyward/contracts/users";

/** "Active" in green, "Disabled" in grey: the same pill the token screens use for status. */
export function UserStatusPill({ status }: { status: UserStatus }) {
  return (
    <span className={`status-pill status-pill-${status === "active" ? "enabled" : "disabled"}`}>
      <span className="status-dot" aria-hidden="true" />
      {status === "active" ? "Active" : "Disabled"}
    </span>
  );
}
