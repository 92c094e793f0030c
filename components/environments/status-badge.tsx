import type { EnvironmentStatus } from "@/lib/db/generated/enums";

const LABELS: Record<EnvironmentStatus, string> = {
  provisioning: "Provisioning",
  ready: "Ready",
  degraded: "Degraded",
  updating: "Updating",
  sleeping: "Sleeping",
  failed: "Failed",
  destroying: "Destroying",
  destroyed: "Destroyed",
};

export function StatusBadge({ status }: { status: EnvironmentStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {LABELS[status]}
    </span>
  );
}
