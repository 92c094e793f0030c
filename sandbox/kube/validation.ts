import { isPlainObject } from "./json";
import type { ResourceType } from "./resource-types";
import { type StatusCause, errors } from "./status";
import type { KubeObject } from "./types";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelNames = new Set(["namespaces", "services"]);

/** Rejects, with a 422 Invalid and its causes, what the real API server would reject for these kinds. */
export function validate(t: ResourceType, obj: KubeObject): void {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  if (!name) causes.push({ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" });
  else if (labelNames.has(t.plural) ? !dnsLabel.test(name) || name.length > 63 : !dnsSubdomain.test(name) || name.length > 253) {
    const what = labelNames.has(t.plural) ? "RFC 1123 label" : "RFC 1123 subdomain";
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${name}": a lowercase ${what} must consist of lower case alphanumeric characters, '-' or '.'`, field: "metadata.name" });
  }
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (typeof v !== "string" || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`, field: `metadata.labels: ${k}` });
    }
  }
  if (t.plural === "pods") validatePodSpec(obj["spec"], "spec", causes);
  if (t.plural === "deployments" || t.plural === "replicasets") validateWorkload(obj, causes);
  if (causes.length > 0) throw errors.invalid(t, name, causes);
}

function validateWorkload(obj: KubeObject, causes: StatusCause[]): void {
  const spec = obj["spec"];
  if (!isPlainObject(spec)) {
    causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec" });
    return;
  }
  const selector = spec["selector"];
  const matchLabels = isPlainObject(selector) && isPlainObject(selector["matchLabels"]) ? (selector["matchLabels"] as Record<string, unknown>) : undefined;
  if (!matchLabels) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.selector" });
  const template = spec["template"];
  const tmplMeta = isPlainObject(template) ? template["metadata"] : undefined;
  const tmplLabels = isPlainObject(tmplMeta) && isPlainObject(tmplMeta["labels"]) ? (tmplMeta["labels"] as Record<string, unknown>) : {};
  if (matchLabels && !Object.entries(matchLabels).every(([k, v]) => tmplLabels[k] === v)) {
    causes.push({ reason: "FieldValueInvalid", message: "Invalid value: map[string]string{...}: `selector` does not match template `labels`", field: "spec.template.metadata.labels" });
  }
  const replicas = spec["replicas"];
  if (replicas !== undefined && (typeof replicas !== "number" || replicas < 0 || !Number.isInteger(replicas))) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: "spec.replicas" });
  }
  validatePodSpec(isPlainObject(template) ? template["spec"] : undefined, "spec.template.spec", causes);
}

function validatePodSpec(spec: unknown, path: string, causes: StatusCause[]): void {
  const containers = isPlainObject(spec) ? spec["containers"] : undefined;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${path}.containers` });
    return;
  }
  containers.forEach((c, i) => {
    if (!isPlainObject(c) || typeof c["name"] !== "string" || !dnsLabel.test(c["name"])) {
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${path}.containers[${i}].name` });
    }
    if (!isPlainObject(c) || typeof c["image"] !== "string" || c["image"] === "") {
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${path}.containers[${i}].image` });
    }
  });
}
