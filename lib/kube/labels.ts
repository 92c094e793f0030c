// Everything Corral creates in a cluster carries these, and Corral touches nothing without them.
export const LABELS = {
  managedBy: "corral.dev/managed-by",
  environment: "corral.dev/environment",
  environmentName: "corral.dev/environment-name",
  owner: "corral.dev/owner",
  template: "corral.dev/template",
  component: "corral.dev/component",
  /** An annotation of pod templates, not a label: when a restart was asked for. */
  restartedAt: "corral.dev/restarted-at",
  dataDigest: "corral.dev/data-digest",
} as const;

export const MANAGED_BY = "corral";
export const FIELD_MANAGER = "corral";
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`;

/** Label values are at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function labelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return cleaned || "none";
}
