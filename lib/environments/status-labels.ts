import type { EnvironmentStatus } from "@/lib/db/generated/enums";

export const STATUS_LABELS: Record<EnvironmentStatus, string> = {
  provisioning: "Provisioning",
  ready: "Ready",
  degraded: "Degraded",
  updating: "Updating",
  sleeping: "Sleeping",
  failed: "Failed",
  destroying: "Destroying",
  destroyed: "Destroyed",
};

