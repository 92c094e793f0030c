// @ts-check
// Plain JavaScript so that the `corral` CLI (cli/, run by Node without a build) names statuses
// as the portal does.

/** @type {Record<import("@/lib/db/generated/enums").EnvironmentStatus, string>} */
export const STATUS_LABELS = {
  provisioning: "Provisioning",
  ready: "Ready",
  degraded: "Degraded",
  updating: "Updating",
  sleeping: "Sleeping",
  failed: "Failed",
  destroying: "Destroying",
  destroyed: "Destroyed",
};
