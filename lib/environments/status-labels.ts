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

/** "restarted once", "restarted 3 times": how a container's restarts read. */
export function restartsText(restarts: number): string {
  return restarts === 1 ? "restarted once" : restarts === 2 ? "restarted twice" : `restarted ${restarts} times`;
}
