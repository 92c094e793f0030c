import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { STATUS_LABELS } from "@/lib/environments/status-labels";

export function StatusBadge({ status }: { status: EnvironmentStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
