import { createHash } from "node:crypto";
import type { KubeApi } from "./api";
import { recordEvent } from "./events";
import { clone, isPlainObject } from "./json";
import { types } from "./resource-types";
import { nowSeconds } from "./store";
import type { KubeObject } from "./types";

type Json = Record<string, unknown>;
const revisionKey = "deployment.kubernetes.io/revision";

/**
 * The deployment and replica set controllers folded into one: each deployment gets a ReplicaSet
 * per pod template (named by the template hash) and a rolling update moves pods from old to new
 * within maxSurge/maxUnavailable; status and conditions are reported as the real controller does.
 */
export class DeploymentController {
  private readonly queued = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly api: KubeApi,
    resyncIntervalMs: number,
  ) {
    api.store.subscribe((e) => {
      const o = e.object;
      if (e.typeKey === "apps/deployments" && e.type !== "DELETED") this.enqueue(o.metadata.namespace ?? "", o.metadata.name);
      if (e.typeKey === "/pods" || e.typeKey === "apps/replicasets") {
        const owner = this.owningDeployment(o);
        if (owner) this.enqueue(owner.metadata.namespace ?? "", owner.metadata.name);
      }
    });
    this.timer = setInterval(() => {
      for (const d of api.store.list(types.deployments)) this.enqueue(d.metadata.namespace ?? "", d.metadata.name);
    }, resyncIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private enqueue(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    setImmediate(() => {
      this.queued.delete(key);
      try {
        this.reconcile(namespace, name);
      } catch {
        // A conflict or a vanished namespace is retried on the next event or resync.
      }
    });
  }

  private owningDeployment(o: KubeObject): KubeObject | undefined {
    const ref = o.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref) return undefined;
    if (ref.kind === "Deployment") return this.api.store.get(types.deployments, o.metadata.namespace, ref.name);
    if (ref.kind === "ReplicaSet") {
      const rs = this.api.store.get(types.replicasets, o.metadata.namespace, ref.name);
      return rs ? this.owningDeployment(rs) : undefined;
    }
    return undefined;
  }

  private reconcile(namespace: string, name: string): void {
    const d = this.api.store.get(types.deployments, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = d["spec"] as Json;
    const replicas = typeof spec["replicas"] === "number" ? spec["replicas"] : 1;
    const template = spec["template"] as Json;
    const hash = templateHash(template);
    const owned = this.api.store.list(types.replicasets, namespace).filter((rs) => ownedBy(rs, d));
    const newRs = this.ensureReplicaSet(d, owned, hash, template);
    const oldRs = owned.filter((rs) => rs.metadata.uid !== newRs.metadata.uid);
    const allPods = this.api.store.list(types.pods, namespace).filter((p) => !p.metadata.deletionTimestamp);
    const newPods = allPods.filter((p) => ownedBy(p, newRs));
    const oldPods = allPods.filter((p) => oldRs.some((rs) => ownedBy(p, rs)));

    if (spec["paused"] !== true) this.rollOut(d, replicas, newRs, newPods, oldPods);

    const live = this.api.store.list(types.pods, namespace).filter((p) => !p.metadata.deletionTimestamp);
    const nowNew = live.filter((p) => ownedBy(p, newRs));
    const nowOld = live.filter((p) => oldRs.some((rs) => ownedBy(p, rs)));
    for (const rs of [newRs, ...oldRs]) this.writeReplicaSetStatus(rs, live.filter((p) => ownedBy(p, rs)), rs === newRs ? replicas : 0);
    this.writeStatus(d, replicas, newRs, nowNew, nowOld);
  }

  private rollOut(d: KubeObject, replicas: number, newRs: KubeObject, newPods: KubeObject[], oldPods: KubeObject[]): void {
    const strategy = isPlainObject((d["spec"] as Json)["strategy"]) ? ((d["spec"] as Json)["strategy"] as Json) : {};
    if (strategy["type"] === "Recreate") {
      if (oldPods.length > 0) {
        for (const p of oldPods) this.deletePod(p);
        return;
      }
      this.scaleTo(d, newRs, newPods, replicas);
      return;
    }
    const ru = isPlainObject(strategy["rollingUpdate"]) ? strategy["rollingUpdate"] : {};
    let maxSurge = resolveIntOrPercent(ru["maxSurge"] ?? "25%", replicas, true);
    const maxUnavailable = resolveIntOrPercent(ru["maxUnavailable"] ?? "25%", replicas, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxSurge = 1;

    if (newPods.length > replicas) {
      this.scaleTo(d, newRs, newPods, replicas);
      return;
    }
    const total = newPods.length + oldPods.length;
    const toCreate = Math.min(replicas - newPods.length, replicas + maxSurge - total);
    for (let i = 0; i < toCreate; i++) this.createPod(d, newRs);

    if (oldPods.length === 0) return;
    const minAvailable = replicas - maxUnavailable;
    const readyNew = newPods.filter(isReady).length;
    const readyOld = oldPods.filter(isReady).length;
    let allowance = total - minAvailable - (newPods.length - readyNew);
    for (const p of oldPods.filter((x) => !isReady(x))) {
      if (allowance <= 0) break;
      this.deletePod(p);
      allowance--;
    }
    let removableReady = Math.min(allowance, readyNew + readyOld - minAvailable);
    for (const p of oldPods.filter(isReady)) {
      if (removableReady <= 0) break;
      this.deletePod(p);
      removableReady--;
    }
  }

  private scaleTo(d: KubeObject, rs: KubeObject, pods: KubeObject[], replicas: number): void {
    if (pods.length < replicas) {
      for (let i = pods.length; i < replicas; i++) this.createPod(d, rs);
      return;
    }
    const surplus = [...pods].sort((a, b) => Number(isReady(a)) - Number(isReady(b))).slice(0, pods.length - replicas);
    for (const p of surplus) this.deletePod(p);
  }

  private ensureReplicaSet(d: KubeObject, owned: KubeObject[], hash: string, template: Json): KubeObject {
    const ns = d.metadata.namespace;
    const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[revisionKey] ?? "0")));
    const existing = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    if (existing) {
      const rev = Number(existing.metadata.annotations?.[revisionKey] ?? "0");
      if (rev < maxRevision) {
        // A rollback to an older template makes its replica set the newest revision again.
        return this.api.store.mutate(types.replicasets, ns, existing.metadata.name, (rs) => {
          rs.metadata.annotations = { ...rs.metadata.annotations, [revisionKey]: String(maxRevision + 1) };
        }) ?? existing;
      }
      return existing;
    }
    const tmpl = clone(template);
    const tmplMeta = (isPlainObject(tmpl["metadata"]) ? tmpl["metadata"] : {}) as Json;
    const labels = { ...(tmplMeta["labels"] as Record<string, string>), "pod-template-hash": hash };
    tmpl["metadata"] = { ...tmplMeta, labels };
    const selector = clone((d["spec"] as Json)["selector"] as Json);
    selector["matchLabels"] = { ...(selector["matchLabels"] as Record<string, string>), "pod-template-hash": hash };
    const rsName = `${d.metadata.name}-${hash}`;
    const rs = this.api.create(types.replicasets, ns, {
      metadata: {
        name: rsName,
        namespace: ns,
        labels,
        annotations: { [revisionKey]: String(maxRevision + 1), "deployment.kubernetes.io/desired-replicas": String((d["spec"] as Json)["replicas"] ?? 1) },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 0, selector, template: tmpl },
    });
    recordEvent(this.api, d, { type: "Normal", reason: "ScalingReplicaSet", message: `Scaled up replica set ${rsName} from 0 to ${String((d["spec"] as Json)["replicas"] ?? 1)}`, component: "deployment-controller" });
    return rs;
  }

  private createPod(d: KubeObject, rs: KubeObject): void {
    const tmpl = (rs["spec"] as Json)["template"] as Json;
    const meta = (isPlainObject(tmpl["metadata"]) ? tmpl["metadata"] : {}) as Json;
    try {
      this.api.create(types.pods, d.metadata.namespace, {
        metadata: {
          ...clone(meta),
          generateName: `${rs.metadata.name}-`,
          namespace: d.metadata.namespace,
          ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: clone(tmpl["spec"]),
      });
    } catch {
      // The namespace may be terminating; the next reconcile decides again.
    }
  }

  private deletePod(p: KubeObject): void {
    try {
      this.api.delete(types.pods, p.metadata.namespace, p.metadata.name);
    } catch {
      // Already gone.
    }
  }

  private writeReplicaSetStatus(rs: KubeObject, pods: KubeObject[], desired: number): void {
    const ready = pods.filter(isReady).length;
    this.api.store.mutate(types.replicasets, rs.metadata.namespace, rs.metadata.name, (o) => {
      (o["spec"] as Json)["replicas"] = desired;
      o["status"] = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: o.metadata.generation };
    });
  }

  private writeStatus(d: KubeObject, replicas: number, newRs: KubeObject, newPods: KubeObject[], oldPods: KubeObject[]): void {
    const spec = d["spec"] as Json;
    const strategy = isPlainObject(spec["strategy"]) ? spec["strategy"] : {};
    const ru = isPlainObject(strategy["rollingUpdate"]) ? strategy["rollingUpdate"] : {};
    const maxUnavailable = strategy["type"] === "Recreate" ? replicas : resolveIntOrPercent(ru["maxUnavailable"] ?? "25%", replicas, false);
    const total = newPods.length + oldPods.length;
    const ready = [...newPods, ...oldPods].filter(isReady).length;
    const updated = newPods.length;
    const complete = updated === replicas && total === replicas && ready === replicas;
    const deadlineSeconds = typeof spec["progressDeadlineSeconds"] === "number" ? spec["progressDeadlineSeconds"] : 600;
    const old = isPlainObject(d["status"]) ? d["status"] : {};
    const oldConditions = (Array.isArray(old["conditions"]) ? old["conditions"] : []).filter(isPlainObject);
    const prevProgress = oldConditions.find((c) => c["type"] === "Progressing");
    const now = nowSeconds();
    const progressed = old["updatedReplicas"] !== updated || old["readyReplicas"] !== ready || old["replicas"] !== total || old["observedGeneration"] !== d.metadata.generation;
    const lastProgress = progressed || !prevProgress ? now : String(prevProgress["lastUpdateTime"]);
    let progressing: [string, string, string];
    if (complete) progressing = ["True", "NewReplicaSetAvailable", `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`];
    else if (Date.now() - Date.parse(lastProgress) > deadlineSeconds * 1000) progressing = ["False", "ProgressDeadlineExceeded", `ReplicaSet "${newRs.metadata.name}" has timed out progressing.`];
    else progressing = ["True", "ReplicaSetUpdated", `ReplicaSet "${newRs.metadata.name}" is progressing.`];
    const available = ready >= replicas - maxUnavailable;
    const condition = (type: string, status: string, reason: string, message: string, updateTime: string) => {
      const prev = oldConditions.find((c) => c["type"] === type);
      const same = prev && prev["status"] === status && prev["reason"] === reason;
      return { type, status, lastUpdateTime: same && type === "Available" ? prev["lastUpdateTime"] : updateTime, lastTransitionTime: prev && prev["status"] === status ? prev["lastTransitionTime"] : now, reason, message };
    };
    const status: Json = {
      observedGeneration: d.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(total - ready > 0 ? { unavailableReplicas: total - ready } : {}),
      conditions: [
        condition("Available", available ? "True" : "False", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
        condition("Progressing", ...progressing, lastProgress),
      ],
    };
    if (status["readyReplicas"] === 0) delete status["readyReplicas"];
    if (status["availableReplicas"] === 0) delete status["availableReplicas"];
    const revision = newRs.metadata.annotations?.[revisionKey];
    this.api.store.mutate(types.deployments, d.metadata.namespace, d.metadata.name, (o) => {
      o["status"] = status;
      if (revision) o.metadata.annotations = { ...o.metadata.annotations, [revisionKey]: revision };
    });
  }
}

function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid) ?? false;
}

export function isReady(pod: KubeObject): boolean {
  const status = pod["status"];
  if (!isPlainObject(status) || !Array.isArray(status["conditions"])) return false;
  return status["conditions"].some((c) => isPlainObject(c) && c["type"] === "Ready" && c["status"] === "True");
}

export function resolveIntOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** A short, stable name suffix for a pod template, like the controller's pod-template-hash. */
export function templateHash(template: unknown): string {
  const digest = createHash("sha256").update(canonical(template)).digest();
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let s = "";
  for (let i = 0; i < 10; i++) s += alphabet[(digest[i] ?? 0) % alphabet.length];
  return s;
}

/** JSON with sorted keys, so that the hash does not depend on how a patch ordered fields. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}
