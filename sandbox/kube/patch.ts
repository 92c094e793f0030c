import { clone, isPlainObject } from "./json";
import { KubeError } from "./status";

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Strategic merge patch, reduced to what matters for the resources served: lists of objects
 * with a merge key (containers, env, ports, volumes...) merge item by item, other lists replace.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const key = mergeKeyOf(patch);
    if (!key || !Array.isArray(target)) return clone(patch).filter((v) => !isDirective(v));
    const out: unknown[] = target.map((v) => clone(v));
    for (const item of patch) {
      if (!isPlainObject(item)) continue;
      const idx = out.findIndex((o) => isPlainObject(o) && o[key] === item[key]);
      if (item["$patch"] === "delete") {
        if (idx >= 0) out.splice(idx, 1);
        continue;
      }
      if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
      else out.push(stripDirectives(item));
    }
    return out;
  }
  if (!isPlainObject(patch)) return clone(patch);
  if (patch["$patch"] === "replace") return stripDirectives(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    if (v === null) delete out[k];
    else out[k] = strategicMergePatch(out[k], v);
  }
  return out;
}

const mergeKeys = ["name", "containerPort", "port", "mountPath", "ip", "type"];

/** The key that identifies items of a list, as the Kubernetes OpenAPI declares for the lists we serve. */
export function mergeKeyOf(list: unknown[]): string | undefined {
  if (list.length === 0 || !list.every(isPlainObject)) return undefined;
  const items = list as Record<string, unknown>[];
  return mergeKeys.find((k) => items.every((i) => i[k] !== undefined || i["$patch"] !== undefined));
}

function isDirective(v: unknown): boolean {
  return isPlainObject(v) && v["$patch"] !== undefined;
}

function stripDirectives(v: Record<string, unknown>): Record<string, unknown> {
  const out = clone(v);
  delete out["$patch"];
  return out;
}

type JsonPatchOp = { op: string; path: string; value?: unknown; from?: string };

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new KubeError(400, "BadRequest", "json patch must be an array of operations");
  let doc = clone(target);
  for (const raw of ops as JsonPatchOp[]) {
    const path = parsePointer(raw.path);
    switch (raw.op) {
      case "add":
        doc = setAt(doc, path, clone(raw.value), "add");
        break;
      case "replace":
        getAt(doc, path, raw.path);
        doc = setAt(doc, path, clone(raw.value), "replace");
        break;
      case "remove":
        getAt(doc, path, raw.path);
        doc = removeAt(doc, path);
        break;
      case "test":
        if (JSON.stringify(getAt(doc, path, raw.path)) !== JSON.stringify(raw.value)) {
          throw new KubeError(422, "Invalid", `the server rejected our request due to an error in our request: test failed at ${raw.path}`);
        }
        break;
      case "move":
      case "copy": {
        const from = parsePointer(raw.from ?? "");
        const value = clone(getAt(doc, from, raw.from ?? ""));
        if (raw.op === "move") doc = removeAt(doc, from);
        doc = setAt(doc, path, value, "add");
        break;
      }
      default:
        throw new KubeError(400, "BadRequest", `unexpected json patch operation ${raw.op}`);
    }
  }
  return doc;
}

function parsePointer(p: string): string[] {
  if (p === "") return [];
  if (!p.startsWith("/")) throw new KubeError(400, "BadRequest", `invalid json pointer ${p}`);
  return p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function getAt(doc: unknown, path: string[], raw: string): unknown {
  let cur: unknown = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isPlainObject(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined) throw new KubeError(422, "Invalid", `the server rejected our request due to an error in our request: missing value at ${raw}`);
  }
  return cur;
}

function setAt(doc: unknown, path: string[], value: unknown, mode: "add" | "replace"): unknown {
  if (path.length === 0) return value;
  const parent = getAt(doc, path.slice(0, -1), path.slice(0, -1).join("/"));
  const last = path[path.length - 1] ?? "";
  if (Array.isArray(parent)) {
    const idx = last === "-" ? parent.length : Number(last);
    if (mode === "add") parent.splice(idx, 0, value);
    else parent[idx] = value;
  } else if (isPlainObject(parent)) parent[last] = value;
  return doc;
}

function removeAt(doc: unknown, path: string[]): unknown {
  const parent = getAt(doc, path.slice(0, -1), "");
  const last = path[path.length - 1] ?? "";
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isPlainObject(parent)) delete parent[last];
  return doc;
}
