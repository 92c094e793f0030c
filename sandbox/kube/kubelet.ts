import type { KubeApi, PropagationPolicy } from "./api";
import { type ImageBehaviour, behaviourOf } from "./image-behaviour";
import { isPlainObject } from "./json";
import { LogInstance } from "./log-lines";
import { recordEvent } from "./events";
import { types } from "./resource-types";
import { nowSeconds } from "./store";
import type { LogSettings, KubeTimings } from "./timings";
import type { KubeObject } from "./types";

type ContainerState =
  | { kind: "waiting"; reason: string; message?: string }
  | { kind: "running"; startedAt: string; ready: boolean }
  | { kind: "terminated"; reason: string; exitCode: number; startedAt: string; finishedAt: string };

interface ContainerRuntime {
  name: string;
  image: string;
  behaviour: ImageBehaviour;
  state: ContainerState;
  lastTerminated?: Extract<ContainerState, { kind: "terminated" }>;
  restartCount: number;
  failures: number;
  current?: LogInstance;
  previous?: LogInstance;
}

/** What the ingress sees of a container: whether something answers, and the log it writes to. */
export interface ContainerView {
  name: string;
  image: string;
  state: "waiting" | "running" | "terminated";
  /** The waiting or terminated reason (CrashLoopBackOff, ErrImagePull, Error…). */
  reason?: string;
  /** The current run's log; absent when the container is not running. */
  log?: LogInstance;
}

interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  ip: string;
  startTime: string;
  scheduled: boolean;
  containers: ContainerRuntime[];
  timers: Set<NodeJS.Timeout>;
  stopped: boolean;
}

/**
 * A simulated kubelet: runs every pod on one node, moving containers through the states a real
 * kubelet reports, with behaviour chosen by image name (see image-behaviour.ts).
 */
export class Kubelet {
  private readonly pods = new Map<string, PodRuntime>();
  private nextIp = 2;

  constructor(
    private readonly api: KubeApi,
    private readonly timings: KubeTimings,
    private readonly logs: LogSettings,
  ) {
    api.store.subscribe((e) => {
      if (e.typeKey !== "/pods") return;
      if (e.type === "ADDED") this.start(e.object);
      if (e.type === "DELETED") this.stop(e.object.metadata.uid, "deleted");
    });
    api.onDelete(types.pods, (pod, policy) => this.deletePod(pod, policy));
  }

  /** Picks up pods that exist already, e.g. after state was restored from a file. */
  adoptExisting(): void {
    for (const pod of this.api.store.list(types.pods)) this.start(pod);
  }

  runtime(namespace: string, name: string): PodRuntime | undefined {
    for (const p of this.pods.values()) if (p.namespace === namespace && p.name === name) return p;
    return undefined;
  }

  /** The containers of a pod the kubelet runs, in spec order; undefined when it runs no such pod. */
  containers(namespace: string, name: string, uid?: string): ContainerView[] | undefined {
    const rt = uid !== undefined ? this.pods.get(uid) : this.runtime(namespace, name);
    if (!rt || rt.stopped || rt.namespace !== namespace || rt.name !== name) return undefined;
    return rt.containers.map((c) => ({
      name: c.name,
      image: c.image,
      state: c.state.kind,
      ...(c.state.kind === "running" ? {} : { reason: c.state.reason }),
      ...(c.state.kind === "running" && c.current ? { log: c.current } : {}),
    }));
  }

  shutdown(): void {
    for (const uid of [...this.pods.keys()]) this.stop(uid, "shutdown");
  }

  private start(pod: KubeObject): void {
    if (this.pods.has(pod.metadata.uid) || pod.metadata.deletionTimestamp) return;
    const spec = isPlainObject(pod["spec"]) ? pod["spec"] : {};
    const containers = Array.isArray(spec["containers"]) ? spec["containers"].filter(isPlainObject) : [];
    const rt: PodRuntime = {
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace ?? "default",
      name: pod.metadata.name,
      ip: `10.244.${Math.floor(this.nextIp / 250)}.${(this.nextIp % 250) + 2}`,
      startTime: nowSeconds(),
      scheduled: false,
      containers: containers.map((c) => ({
        name: String(c["name"]),
        image: String(c["image"]),
        behaviour: behaviourOf(String(c["image"])),
        state: { kind: "waiting", reason: "ContainerCreating" },
        restartCount: 0,
        failures: 0,
      })),
      timers: new Set(),
      stopped: false,
    };
    this.nextIp++;
    this.pods.set(rt.uid, rt);
    const restored = this.restoreRunning(rt, pod);
    if (restored) {
      this.writeStatus(rt);
      return;
    }
    this.writeStatus(rt);
    this.after(rt, this.timings.podScheduleDelayMs, () => {
      rt.scheduled = true;
      this.event(rt, "Normal", "Scheduled", `Successfully assigned ${rt.namespace}/${rt.name} to sandbox-node`);
      this.writeStatus(rt);
      for (const c of rt.containers) this.pull(rt, c);
    });
  }

  /** A pod restored from saved state that was running keeps running, with fresh logs. */
  private restoreRunning(rt: PodRuntime, pod: KubeObject): boolean {
    const status = isPlainObject(pod["status"]) ? pod["status"] : {};
    const statuses = Array.isArray(status["containerStatuses"]) ? status["containerStatuses"].filter(isPlainObject) : [];
    if (statuses.length === 0 || status["phase"] !== "Running") return false;
    rt.scheduled = true;
    rt.ip = typeof status["podIP"] === "string" ? status["podIP"] : rt.ip;
    rt.startTime = typeof status["startTime"] === "string" ? status["startTime"] : rt.startTime;
    for (const c of rt.containers) {
      const s = statuses.find((x) => x["name"] === c.name);
      c.restartCount = typeof s?.["restartCount"] === "number" ? s["restartCount"] : 0;
      this.run(rt, c);
    }
    return true;
  }

  private pull(rt: PodRuntime, c: ContainerRuntime): void {
    this.event(rt, "Normal", "Pulling", `Pulling image "${c.image}"`, c);
    if (c.behaviour === "unpullable") {
      this.after(rt, this.timings.podStartDelayMs, () => this.pullFailed(rt, c));
      return;
    }
    this.after(rt, this.timings.podStartDelayMs, () => {
      this.event(rt, "Normal", "Pulled", `Successfully pulled image "${c.image}" in ${this.timings.podStartDelayMs}ms`, c);
      this.run(rt, c);
    });
  }

  private pullFailed(rt: PodRuntime, c: ContainerRuntime): void {
    const message = `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`;
    c.state = { kind: "waiting", reason: "ErrImagePull", message };
    this.event(rt, "Warning", "Failed", `Failed to pull image "${c.image}": ${message}`, c);
    this.event(rt, "Warning", "Failed", "Error: ErrImagePull", c);
    this.writeStatus(rt);
    const backoff = this.backoff(c);
    this.after(rt, Math.min(backoff, this.timings.backoffBaseMs), () => {
      c.state = { kind: "waiting", reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}"` };
      this.event(rt, "Normal", "BackOff", `Back-off pulling image "${c.image}"`, c);
      this.event(rt, "Warning", "Failed", "Error: ImagePullBackOff", c);
      this.writeStatus(rt);
      this.after(rt, backoff, () => this.pull(rt, c));
    });
  }

  private run(rt: PodRuntime, c: ContainerRuntime): void {
    const startedAt = nowSeconds();
    c.state = { kind: "running", startedAt, ready: false };
    c.current = new LogInstance(c.image, `${rt.namespace}/${rt.name}/${c.name}/${c.restartCount}`, Date.now(), this.logs.linesPerSecond, this.logs.bufferLines, c.behaviour === "crashloop");
    this.event(rt, "Normal", "Created", `Created container ${c.name}`, c);
    this.event(rt, "Normal", "Started", `Started container ${c.name}`, c);
    this.writeStatus(rt);
    if (c.behaviour === "crashloop") {
      this.after(rt, this.timings.crashAfterMs, () => this.crash(rt, c, startedAt));
      return;
    }
    const readyDelay = c.behaviour === "slow" ? this.timings.slowReadyDelayMs : this.timings.podReadyDelayMs;
    this.after(rt, readyDelay, () => {
      if (c.state.kind === "running") c.state = { ...c.state, ready: true };
      this.writeStatus(rt);
    });
  }

  private crash(rt: PodRuntime, c: ContainerRuntime, startedAt: string): void {
    const terminated = { kind: "terminated" as const, reason: "Error", exitCode: 1, startedAt, finishedAt: nowSeconds() };
    if (c.current) c.current.end = Date.now();
    c.previous = c.current;
    c.current = undefined;
    c.lastTerminated = terminated;
    c.restartCount++;
    const backoff = this.backoff(c);
    c.state = { kind: "waiting", reason: "CrashLoopBackOff", message: `back-off ${Math.round(backoff / 1000)}s restarting failed container=${c.name} pod=${rt.name}_${rt.namespace}(${rt.uid})` };
    this.event(rt, "Warning", "BackOff", "Back-off restarting failed container", c);
    this.writeStatus(rt);
    this.after(rt, backoff, () => this.run(rt, c));
  }

  private backoff(c: ContainerRuntime): number {
    const ms = Math.min(this.timings.backoffMaxMs, this.timings.backoffBaseMs * 2 ** c.failures);
    c.failures++;
    return ms;
  }

  private deletePod(pod: KubeObject, policy: PropagationPolicy): KubeObject | "default" {
    if (pod.metadata.deletionTimestamp) return pod;
    const rt = this.pods.get(pod.metadata.uid);
    if (this.timings.podTerminationDelayMs <= 0 || !rt) return "default";
    this.stop(rt.uid, "terminating");
    const marked = this.api.store.mutate(types.pods, rt.namespace, rt.name, (o) => {
      o.metadata.deletionTimestamp = nowSeconds();
      (o.metadata as unknown as Record<string, unknown>)["deletionGracePeriodSeconds"] = Math.ceil(this.timings.podTerminationDelayMs / 1000);
    });
    setTimeout(() => {
      const current = this.api.store.get(types.pods, rt.namespace, rt.name);
      if (current && current.metadata.uid === rt.uid) this.api.deleteNow(types.pods, current, policy);
    }, this.timings.podTerminationDelayMs).unref();
    return marked ?? pod;
  }

  private stop(uid: string, why: "deleted" | "terminating" | "shutdown"): void {
    const rt = this.pods.get(uid);
    if (!rt || rt.stopped) {
      if (why === "deleted") this.pods.delete(uid);
      return;
    }
    rt.stopped = true;
    for (const t of rt.timers) clearTimeout(t);
    rt.timers.clear();
    for (const c of rt.containers) if (c.current && c.current.end === undefined) c.current.end = Date.now();
    if (why === "deleted" || why === "shutdown") this.pods.delete(uid);
  }

  private after(rt: PodRuntime, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      rt.timers.delete(t);
      if (!rt.stopped) fn();
    }, ms);
    rt.timers.add(t);
  }

  private event(rt: PodRuntime, type: "Normal" | "Warning", reason: string, message: string, c?: ContainerRuntime): void {
    const pod = this.api.store.get(types.pods, rt.namespace, rt.name);
    if (!pod) return;
    recordEvent(this.api, pod, { type, reason, message, component: "kubelet", ...(c ? { fieldPath: `spec.containers{${c.name}}` } : {}) });
  }

  private writeStatus(rt: PodRuntime): void {
    if (rt.stopped) return;
    const now = nowSeconds();
    const started = rt.containers.every((c) => c.state.kind !== "waiting" || c.restartCount > 0);
    const ready = rt.containers.every((c) => c.state.kind === "running" && c.state.ready);
    this.api.store.mutate(types.pods, rt.namespace, rt.name, (pod) => {
      if (pod.metadata.uid !== rt.uid) return;
      const spec = isPlainObject(pod["spec"]) ? pod["spec"] : {};
      if (rt.scheduled) spec["nodeName"] = "sandbox-node";
      pod["spec"] = spec;
      const old = isPlainObject(pod["status"]) ? pod["status"] : {};
      const oldConditions = Array.isArray(old["conditions"]) ? old["conditions"].filter(isPlainObject) : [];
      const condition = (type: string, status: boolean) => {
        const prev = oldConditions.find((c) => c["type"] === type);
        const value = status ? "True" : "False";
        return { type, status: value, lastProbeTime: null, lastTransitionTime: prev && prev["status"] === value ? prev["lastTransitionTime"] : now };
      };
      pod["status"] = {
        phase: started && rt.scheduled ? "Running" : "Pending",
        conditions: rt.scheduled
          ? [condition("Initialized", true), condition("Ready", ready), condition("ContainersReady", ready), condition("PodScheduled", true)]
          : [condition("PodScheduled", false)],
        ...(rt.scheduled ? { hostIP: "10.0.0.10", hostIPs: [{ ip: "10.0.0.10" }], podIP: rt.ip, podIPs: [{ ip: rt.ip }], startTime: rt.startTime } : {}),
        qosClass: "BestEffort",
        ...(rt.scheduled ? { containerStatuses: rt.containers.map((c) => containerStatus(rt, c)) } : {}),
      };
    });
  }
}

function containerStatus(rt: PodRuntime, c: ContainerRuntime): Record<string, unknown> {
  const s = c.state;
  const state =
    s.kind === "waiting"
      ? { waiting: { reason: s.reason, ...(s.message ? { message: s.message } : {}) } }
      : s.kind === "running"
        ? { running: { startedAt: s.startedAt } }
        : { terminated: { exitCode: s.exitCode, reason: s.reason, startedAt: s.startedAt, finishedAt: s.finishedAt } };
  const lt = c.lastTerminated;
  return {
    name: c.name,
    image: c.image,
    imageID: c.state.kind === "waiting" && c.restartCount === 0 ? "" : `docker.io/${c.image}@sha256:${"0".repeat(64)}`,
    containerID: s.kind === "running" ? `containerd://${rt.uid.replace(/-/g, "")}${c.restartCount}` : undefined,
    ready: s.kind === "running" && s.ready,
    started: s.kind === "running",
    restartCount: c.restartCount,
    state,
    lastState: lt ? { terminated: { exitCode: lt.exitCode, reason: lt.reason, startedAt: lt.startedAt, finishedAt: lt.finishedAt } } : {},
  };
}
