import { parse as parseYaml } from "yaml";
import { applyConfiguration, appliedFieldsOf } from "./apply";
import { clone, isPlainObject } from "./json";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch";
import { type ResourceType, groupVersion, resourceTypes, typeKey, types } from "./resource-types";
import { type ObjectStore, nowSeconds } from "./store";
import { KubeError, errors } from "./status";
import type { KubeObject, ManagedFieldsEntry } from "./types";
import { validate } from "./validation";

export type PropagationPolicy = "Foreground" | "Background" | "Orphan";

/** Decides how a kind is deleted; returns the object as it stands after the request (possibly still present). */
export type DeleteHook = (obj: KubeObject, policy: PropagationPolicy) => KubeObject | "default";

export interface WriteOptions {
  fieldManager?: string;
  subresource?: string;
  dryRun?: boolean;
}

/** Kubernetes API semantics over the generic store: validation, subresources, patches, apply, deletion. */
export class KubeApi {
  private readonly deleteHooks = new Map<string, DeleteHook>();
  private readonly createHooks = new Map<string, (obj: KubeObject) => void>();

  constructor(readonly store: ObjectStore) {}

  onDelete(t: ResourceType, hook: DeleteHook): void {
    this.deleteHooks.set(typeKey(t), hook);
  }

  /** Lets a controller default fields (e.g. a service's clusterIP) before an object is stored. */
  onCreate(t: ResourceType, hook: (obj: KubeObject) => void): void {
    this.createHooks.set(typeKey(t), hook);
  }

  create(t: ResourceType, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
    const obj = this.coerce(t, namespace, body);
    this.checkNamespace(t, obj.metadata.namespace);
    if (hasStatusSubresource(t)) delete obj["status"];
    if (opts.fieldManager) obj.metadata.managedFields = [updateEntry(t, opts.fieldManager, "Update", {})];
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = "";
    validate(t, { ...obj, metadata: { ...obj.metadata, name: obj.metadata.name || `${obj.metadata.generateName ?? ""}x` } });
    this.createHooks.get(typeKey(t))?.(obj);
    if (opts.dryRun) return obj;
    return this.store.create(t, obj);
  }

  replace(t: ResourceType, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    const obj = this.coerce(t, namespace, body);
    if (obj.metadata.name !== name) {
      throw new KubeError(400, "BadRequest", `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    const existing = this.store.mustGet(t, namespace, name);
    const next = this.mergeSubresource(t, existing, obj, opts.subresource);
    validate(t, next);
    if (opts.dryRun) return next;
    return this.store.update(t, next);
  }

  patch(t: ResourceType, namespace: string | undefined, name: string, contentType: string, raw: Buffer, opts: WriteOptions & { force?: boolean } = {}): KubeObject {
    const type = contentType.split(";")[0]?.trim() ?? "";
    if (type === "application/apply-patch+yaml" || type === "application/apply-patch+cbor") return this.apply(t, namespace, name, raw, opts);
    const patchBody = parseJson(raw);
    const existing = this.store.mustGet(t, namespace, name);
    let patched: unknown;
    if (type === "application/merge-patch+json") patched = mergePatch(existing, patchBody);
    else if (type === "application/json-patch+json") patched = jsonPatch(existing, patchBody);
    else if (type === "application/strategic-merge-patch+json") patched = strategicMergePatch(existing, patchBody);
    else throw errors.unsupportedMediaType(type);
    const obj = this.coerce(t, namespace, patched);
    const resourceVersionInPatch = isPlainObject(patchBody) && isPlainObject(patchBody["metadata"]) && patchBody["metadata"]["resourceVersion"];
    if (!resourceVersionInPatch) obj.metadata.resourceVersion = "";
    const next = this.mergeSubresource(t, existing, obj, opts.subresource);
    validate(t, next);
    if (opts.dryRun) return next;
    return this.store.update(t, next);
  }

  private apply(t: ResourceType, namespace: string | undefined, name: string, raw: Buffer, opts: WriteOptions): KubeObject {
    if (!opts.fieldManager) throw new KubeError(400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    let applied: unknown;
    try {
      applied = parseYaml(raw.toString("utf8"));
    } catch (err) {
      throw new KubeError(400, "BadRequest", `error decoding YAML: ${(err as Error).message}`);
    }
    if (!isPlainObject(applied)) throw new KubeError(400, "BadRequest", "apply patch must be an object");
    const meta = isPlainObject(applied["metadata"]) ? applied["metadata"] : {};
    if (meta["name"] !== undefined && meta["name"] !== name) {
      throw new KubeError(400, "BadRequest", `the name of the object (${String(meta["name"])}) does not match the name on the URL (${name})`);
    }
    const fields = appliedFieldsOf(applied);
    const existing = this.store.get(t, namespace, name);
    const entry = updateEntry(t, opts.fieldManager, "Apply", fields, opts.subresource);
    if (!existing) {
      const body = { ...clone(applied), metadata: { ...meta, name, namespace, managedFields: [entry] } };
      if (opts.subresource) throw errors.notFound(t, name);
      return this.create(t, namespace, body, { ...opts, fieldManager: undefined });
    }
    const previous = existing.metadata.managedFields?.find((m) => m.manager === opts.fieldManager && m.operation === "Apply" && (m.subresource ?? "") === (opts.subresource ?? ""));
    const { managedFields: _mf, ...appliedMeta } = meta;
    const merged = applyConfiguration(existing, { ...applied, metadata: { ...appliedMeta, resourceVersion: undefined } }, previous?.fieldsV1) as KubeObject;
    // Re-applying the same fields keeps the entry (and its timestamp), so the object stays unchanged.
    const kept = previous && JSON.stringify(previous.fieldsV1) === JSON.stringify(fields) ? previous : entry;
    const others = existing.metadata.managedFields ?? [];
    merged.metadata.managedFields = previous ? others.map((m) => (m === previous ? kept : m)) : [...others, kept];
    merged.metadata.resourceVersion = "";
    const obj = this.coerce(t, namespace, merged);
    const next = this.mergeSubresource(t, existing, obj, opts.subresource);
    validate(t, next);
    if (opts.dryRun) return next;
    return this.store.update(t, next);
  }

  delete(t: ResourceType, namespace: string | undefined, name: string, policy: PropagationPolicy = "Background", opts: { dryRun?: boolean; preconditionResourceVersion?: string } = {}): KubeObject {
    const existing = this.store.mustGet(t, namespace, name);
    if (opts.preconditionResourceVersion && opts.preconditionResourceVersion !== existing.metadata.resourceVersion) throw errors.conflict(t, name);
    if (opts.dryRun) return existing;
    const hook = this.deleteHooks.get(typeKey(t));
    const hooked = hook ? hook(existing, policy) : "default";
    if (hooked !== "default") return hooked;
    return this.deleteNow(t, existing, policy);
  }

  /** Deletes an object at once, and its dependents according to the propagation policy. */
  deleteNow(t: ResourceType, obj: KubeObject, policy: PropagationPolicy): KubeObject {
    const dependents = this.dependentsOf(obj);
    if (policy === "Orphan") {
      for (const [dt, d] of dependents) {
        this.store.mutate(dt, d.metadata.namespace, d.metadata.name, (o) => {
          o.metadata.ownerReferences = o.metadata.ownerReferences?.filter((r) => r.uid !== obj.metadata.uid);
          if (o.metadata.ownerReferences?.length === 0) delete o.metadata.ownerReferences;
        });
      }
    } else if (policy === "Foreground") {
      for (const [dt, d] of dependents) this.deleteIfPresent(dt, d, "Foreground");
    }
    const removed = this.store.get(t, obj.metadata.namespace, obj.metadata.name) ? this.store.remove(t, obj.metadata.namespace, obj.metadata.name) : obj;
    if (policy === "Background") {
      // The garbage collector runs after the owner is gone, as in a real cluster.
      setImmediate(() => {
        for (const [dt, d] of dependents) this.deleteIfPresent(dt, d, "Background");
      });
    }
    return removed;
  }

  private deleteIfPresent(t: ResourceType, obj: KubeObject, policy: PropagationPolicy): void {
    if (!this.store.get(t, obj.metadata.namespace, obj.metadata.name)) return;
    const hook = this.deleteHooks.get(typeKey(t));
    if (hook && hook(obj, policy) !== "default") return;
    this.deleteNow(t, obj, policy);
  }

  private dependentsOf(owner: KubeObject): [ResourceType, KubeObject][] {
    const out: [ResourceType, KubeObject][] = [];
    for (const t of resourceTypes) {
      if (!t.namespaced) continue;
      for (const o of this.store.list(t, owner.metadata.namespace)) {
        if (o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid)) out.push([t, o]);
      }
    }
    return out;
  }

  private checkNamespace(t: ResourceType, namespace: string | undefined): void {
    if (!t.namespaced) return;
    if (!namespace) throw new KubeError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
    const ns = this.store.get(types.namespaces, undefined, namespace);
    if (!ns) throw errors.notFound(types.namespaces, namespace);
    if (ns.metadata.deletionTimestamp && t.plural !== "events") {
      throw new KubeError(403, "Forbidden", `${t.plural} "x" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Turns a request body into an object of this type in this namespace, or a 400. */
  private coerce(t: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw new KubeError(400, "BadRequest", "the body of the request must be a JSON object");
    const obj = clone(body) as Record<string, unknown>;
    if (obj["kind"] !== undefined && obj["kind"] !== t.kind) {
      throw new KubeError(400, "BadRequest", `the API version in the data (${String(obj["apiVersion"])}) does not match the expected API version (${groupVersion(t)})`);
    }
    const meta = isPlainObject(obj["metadata"]) ? obj["metadata"] : {};
    if (t.namespaced) {
      if (meta["namespace"] !== undefined && meta["namespace"] !== "" && meta["namespace"] !== namespace) {
        throw new KubeError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
      }
      meta["namespace"] = namespace;
    } else delete meta["namespace"];
    return { ...obj, apiVersion: groupVersion(t), kind: t.kind, metadata: meta } as unknown as KubeObject;
  }

  /** Writes to the main resource keep status; writes to /status keep everything else. */
  private mergeSubresource(t: ResourceType, existing: KubeObject, obj: KubeObject, subresource: string | undefined): KubeObject {
    if (subresource === "status") {
      const next = clone(existing);
      next["status"] = obj["status"];
      next.metadata.resourceVersion = obj.metadata.resourceVersion;
      return next;
    }
    if (hasStatusSubresource(t)) {
      if (existing["status"] === undefined) delete obj["status"];
      else obj["status"] = clone(existing["status"]);
    }
    if (existing.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
    return obj;
  }
}

function hasStatusSubresource(t: ResourceType): boolean {
  return t.subresources?.includes("status") ?? false;
}

function updateEntry(t: ResourceType, manager: string, operation: "Apply" | "Update", fields: ManagedFieldsEntry["fieldsV1"], subresource?: string): ManagedFieldsEntry {
  return { manager, operation, apiVersion: groupVersion(t), time: nowSeconds(), fieldsType: "FieldsV1", fieldsV1: fields, ...(subresource ? { subresource } : {}) };
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    // kubectl and client libraries may send YAML for create/replace as well.
    try {
      return parseYaml(raw.toString("utf8"));
    } catch (err) {
      throw new KubeError(400, "BadRequest", `error decoding body: ${(err as Error).message}`);
    }
  }
}
