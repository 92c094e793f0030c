// Kubernetes object names Corral creates are RFC 1123 labels: the environment's name is its
// namespace's name, a component's name its Deployment's and Service's.

export const MAX_NAME_LENGTH = 63;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// Namespaces that exist in every cluster or belong to Kubernetes or Corral itself.
const RESERVED = new Set(["default"]);
const RESERVED_PREFIXES = ["kube-", "corral-"];

export function nameProblem(name: string, what: "Name" | "Component name" = "Name"): string | null {
  if (name === "") return `${what} is required.`;
  if (name.length > MAX_NAME_LENGTH) return `${what} is at most ${MAX_NAME_LENGTH} characters (this one has ${name.length}).`;
  if (!LABEL.test(name)) {
    return `${what} may use lower-case letters, digits and '-', and must start and end with a letter or digit.`;
  }
  return null;
}

export function reservedProblem(name: string): string | null {
  if (RESERVED.has(name)) return `“${name}” is reserved by Kubernetes.`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `Names starting with “${prefix}” are reserved for ${prefix === "kube-" ? "Kubernetes" : "Corral"}.`;
  return null;
}
