import type { ResourceType } from "./resource-types";

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

/** An error the API answers with a metav1.Status body. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function resourceLabel(t: ResourceType): string {
  return t.group === "" ? t.plural : `${t.plural}.${t.group}`;
}

export const errors = {
  notFound: (t: ResourceType, name: string) =>
    new KubeError(404, "NotFound", `${resourceLabel(t)} "${name}" not found`, { name, group: t.group, kind: t.plural }),
  alreadyExists: (t: ResourceType, name: string) =>
    new KubeError(409, "AlreadyExists", `${resourceLabel(t)} "${name}" already exists`, { name, group: t.group, kind: t.plural }),
  conflict: (t: ResourceType, name: string) =>
    new KubeError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${resourceLabel(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: t.group, kind: t.plural },
    ),
  invalid: (t: ResourceType, name: string, causes: StatusCause[]) =>
    new KubeError(
      422,
      "Invalid",
      `${t.kind}${t.group ? `.${t.group}` : ""} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}`,
      { name, group: t.group, kind: t.kind, causes },
    ),
  badRequest: (message: string) => new KubeError(400, "BadRequest", message),
  expired: (message: string) => new KubeError(410, "Expired", message),
  forbidden: (message: string) => new KubeError(403, "Forbidden", message),
  pathNotFound: () => new KubeError(404, "NotFound", "the server could not find the requested resource"),
  methodNotAllowed: (method: string) => new KubeError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`),
  unsupportedMediaType: (type: string) => new KubeError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${type})`),
  internal: (message: string) => new KubeError(500, "InternalError", `Internal error occurred: ${message}`),
};
