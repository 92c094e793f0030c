import { randomUUID } from "node:crypto";
import { clone } from "./json";
import { type ResourceType, groupVersion, typeKey } from "./resource-types";
import { errors } from "./status";
import type { KubeObject, StoreEvent } from "./types";

export interface TypedEvent extends StoreEvent {
  typeKey: string;
}

export type StoreListener = (event: TypedEvent) => void;

export interface StoreSnapshot {
  resourceVersion: number;
  objects: KubeObject[];
}

/**
 * One table of objects keyed by group/resource, with a global resourceVersion and a bounded
 * history of changes for watches that resume. Kind-specific behaviour lives in controllers.
 */
export class ObjectStore {
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly history: TypedEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  private readonly pending: TypedEvent[] = [];
  private dispatching = false;
  private rv = 1;
  /** Watches from a resourceVersion at or below this are answered 410 Expired. */
  private compactedRv = 1;

  constructor(private readonly historyLimit = 10_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResumableRv(): number {
    return this.compactedRv;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.table(t).get(objectKey(t, namespace, name));
  }

  mustGet(t: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(t, namespace, name);
    if (!obj) throw errors.notFound(t, name);
    return obj;
  }

  /** Objects of a type, in key order (namespace/name) so that limit/continue is stable. */
  list(t: ResourceType, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.table(t).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    }
    return out.sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  }

  create(t: ResourceType, input: KubeObject): KubeObject {
    const meta = input.metadata;
    const name = meta.name || (meta.generateName ? meta.generateName + randomSuffix(5) : "");
    const key = objectKey(t, meta.namespace, name);
    if (this.table(t).has(key)) throw errors.alreadyExists(t, name);
    const obj: KubeObject = {
      ...clone(input),
      apiVersion: groupVersion(t),
      kind: t.kind,
      metadata: {
        ...clone(meta),
        name,
        ...(t.namespaced ? { namespace: meta.namespace } : {}),
        uid: randomUUID(),
        resourceVersion: "",
        generation: 1,
        creationTimestamp: nowSeconds(),
      },
    };
    if (!t.namespaced) delete obj.metadata.namespace;
    foldStringData(t, obj);
    return this.commit(t, "ADDED", obj, undefined);
  }

  /**
   * Replaces an object. A non-empty metadata.resourceVersion must match the stored one; identity
   * fields are kept; generation goes up when anything outside metadata and status changes.
   */
  update(t: ResourceType, input: KubeObject, opts: { checkVersion?: boolean } = {}): KubeObject {
    const existing = this.mustGet(t, input.metadata.namespace, input.metadata.name);
    if (opts.checkVersion !== false && input.metadata.resourceVersion && input.metadata.resourceVersion !== existing.metadata.resourceVersion) {
      throw errors.conflict(t, input.metadata.name);
    }
    const obj: KubeObject = {
      ...clone(input),
      apiVersion: groupVersion(t),
      kind: t.kind,
      metadata: {
        ...clone(input.metadata),
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        generation: existing.metadata.generation,
        resourceVersion: existing.metadata.resourceVersion,
      },
    };
    if (existing.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
    foldStringData(t, obj);
    if (JSON.stringify(stripVolatile(obj)) === JSON.stringify(stripVolatile(existing))) return existing;
    if (JSON.stringify(specOf(obj)) !== JSON.stringify(specOf(existing))) obj.metadata.generation = existing.metadata.generation + 1;
    return this.commit(t, "MODIFIED", obj, existing);
  }

  /** Applies a change function to the stored object; no event when nothing changed. */
  mutate(t: ResourceType, namespace: string | undefined, name: string, change: (obj: KubeObject) => void): KubeObject | undefined {
    const existing = this.get(t, namespace, name);
    if (!existing) return undefined;
    const next = clone(existing);
    change(next);
    return this.update(t, next, { checkVersion: false });
  }

  remove(t: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const existing = this.mustGet(t, namespace, name);
    this.table(t).delete(objectKey(t, namespace, name));
    const obj = clone(existing);
    return this.commit(t, "DELETED", obj, existing);
  }

  /** Changes since a resourceVersion, or "expired" when history no longer reaches back that far. */
  eventsSince(t: ResourceType, rv: number): TypedEvent[] | "expired" {
    if (rv < this.compactedRv) return "expired";
    const key = typeKey(t);
    const out: TypedEvent[] = [];
    // History is ordered by resourceVersion; walk back only as far as needed.
    let i = this.history.length - 1;
    while (i >= 0 && (this.history[i]?.resourceVersion ?? 0) > rv) i--;
    for (let j = i + 1; j < this.history.length; j++) {
      const e = this.history[j];
      if (e && e.typeKey === key) out.push(e);
    }
    return out;
  }

  /** Forgets history, as etcd compaction does, so that older watches and continues expire. */
  compact(): void {
    this.history.length = 0;
    this.compactedRv = this.rv;
  }

  snapshot(): StoreSnapshot {
    const objects: KubeObject[] = [];
    for (const table of this.tables.values()) objects.push(...table.values());
    return { resourceVersion: this.rv, objects: clone(objects) };
  }

  restore(snapshot: StoreSnapshot, typeOf: (obj: KubeObject) => ResourceType | undefined): void {
    this.tables.clear();
    this.history.length = 0;
    for (const obj of snapshot.objects) {
      const t = typeOf(obj);
      if (t) this.table(t).set(objectKey(t, obj.metadata.namespace, obj.metadata.name), obj);
    }
    this.rv = snapshot.resourceVersion;
    this.compactedRv = snapshot.resourceVersion;
  }

  private commit(t: ResourceType, type: StoreEvent["type"], obj: KubeObject, previous: KubeObject | undefined): KubeObject {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    if (type !== "DELETED") this.table(t).set(objectKey(t, obj.metadata.namespace, obj.metadata.name), obj);
    const event: TypedEvent = { typeKey: typeKey(t), type, resourceVersion: this.rv, object: obj, ...(previous ? { previous } : {}) };
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1]?.resourceVersion ?? this.compactedRv;
    }
    this.dispatch(event);
    return obj;
  }

  /**
   * Listeners may write to the store; their events are queued so that every listener sees
   * events in resourceVersion order.
   */
  private dispatch(event: TypedEvent): void {
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let e = this.pending.shift(); e; e = this.pending.shift()) {
        for (const l of [...this.listeners]) l(e);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private table(t: ResourceType): Map<string, KubeObject> {
    const key = typeKey(t);
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    return table;
  }
}

/**
 * A Secret's stringData is write-only, as in the API server: merged into data (base64) on every
 * write, over keys of the same name, and never stored or returned.
 */
function foldStringData(t: ResourceType, obj: KubeObject): void {
  if (t.kind !== "Secret" || t.group !== "") return;
  const secret = obj as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (!secret.stringData) return;
  secret.data = { ...secret.data };
  for (const [key, value] of Object.entries(secret.stringData)) secret.data[key] = Buffer.from(String(value), "utf8").toString("base64");
  delete secret.stringData;
}

export function objectKey(t: ResourceType, namespace: string | undefined, name: string): string {
  return t.namespaced ? `${namespace ?? ""}/${name}` : name;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function specOf(o: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

function stripVolatile(o: KubeObject): unknown {
  const { managedFields, ...meta } = o.metadata;
  return { ...o, metadata: { ...meta, managedFields: managedFields?.map(({ time: _t, ...m }) => m) } };
}

export function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function randomSuffix(n: number): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}
