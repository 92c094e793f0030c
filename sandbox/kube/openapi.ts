import { groupVersion, resourceTypes } from "./resource-types";

/**
 * The smallest OpenAPI v3 answer kubectl accepts: per group/version, a PATCH operation for each
 * kind that advertises the fieldValidation parameter. kubectl then leaves validation to the
 * server instead of needing full schemas.
 */
export function openApiV3Root(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const gv of new Set(resourceTypes.map((t) => groupVersion(t)))) {
    const key = gv.includes("/") ? `apis/${gv}` : `api/${gv}`;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=sandbox` };
  }
  return { paths };
}

export function openApiV3GroupVersion(path: string): Record<string, unknown> | undefined {
  const gv = path.replace(/^\/openapi\/v3\/(api|apis)\//, "");
  const inGv = resourceTypes.filter((t) => groupVersion(t) === gv);
  if (inGv.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of inGv) {
    const prefix = t.group === "" ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`;
    const p = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}` : `${prefix}/${t.plural}/{name}`;
    paths[p] = {
      patch: {
        operationId: `patch${t.kind}`,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: t.group, version: t.version, kind: t.kind },
        parameters: ["dryRun", "fieldManager", "fieldValidation", "force"].map((name) => ({ name, in: "query", schema: { type: "string", uniqueItems: true } })),
        responses: { "200": { description: "OK" } },
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths };
}
