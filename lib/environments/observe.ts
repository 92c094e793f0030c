import type { V1Deployment, V1Pod } from "@kubernetes/client-node";

// From what the cluster reports to what people need to know: per component, how far the
// rollout is and what is wrong in plain words; for the environment, its status.

export interface DesiredComponent {
  name: string;
  image: string;
  replicas: number;
}

export interface ObservedPod {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  image: string | null;
  /** Kubernetes' own reason, e.g. CrashLoopBackOff, for the logs view and tooltips. */
  reason: string | null;
}

export interface ObservedComponent {
  name: string;
  desiredImage: string;
  /** The image the component's up-to-date pods run, as the kubelet reports it. */
  runningImage: string | null;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  complete: boolean;
  /** What stands between it and complete, in plain words. */
  problem: string | null;
  /** The problem will not go away by waiting (a pull failure, a crash loop), as opposed to a rollout in progress. */
  failing: boolean;
  pods: ObservedPod[];
}

export type ObservedStatus = "provisioning" | "updating" | "ready" | "degraded";

export interface Observation {
  components: ObservedComponent[];
  status: ObservedStatus;
  reason: string | null;
}

const PULL_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);

export function observeComponent(desired: DesiredComponent, deployment: V1Deployment | undefined, pods: V1Pod[]): ObservedComponent {
  const current = pods.filter((p) => podImage(p) === desired.image && !p.metadata?.deletionTimestamp);
  const status = deployment?.status;
  const generationSeen = (status?.observedGeneration ?? 0) >= (deployment?.metadata?.generation ?? 1);
  const specImage = deployment?.spec?.template?.spec?.containers?.[0]?.image;
  const updated = status?.updatedReplicas ?? 0;
  const ready = status?.readyReplicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const total = status?.replicas ?? 0;
  const complete =
    !!deployment &&
    specImage === desired.image &&
    (deployment.spec?.replicas ?? 1) === desired.replicas &&
    generationSeen &&
    updated >= desired.replicas &&
    total === desired.replicas &&
    ready >= desired.replicas &&
    available >= desired.replicas;

  return {
    name: desired.name,
    desiredImage: desired.image,
    runningImage: current.find((p) => isReady(p))?.status?.containerStatuses?.[0]?.image ?? (current.length > 0 ? desired.image : null),
    desired: desired.replicas,
    updated,
    ready,
    available,
    complete,
    ...(complete ? { problem: null, failing: false } : problemOf(desired, deployment, current)),
    pods: pods
      .map((p) => ({
        name: p.metadata?.name ?? "",
        phase: p.status?.phase ?? "Pending",
        ready: isReady(p),
        restarts: p.status?.containerStatuses?.reduce((n, c) => n + (c.restartCount ?? 0), 0) ?? 0,
        image: podImage(p),
        reason: waitingReason(p),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * The environment's status from its components. `current` is what it was: an environment
 * that has not been ready yet stays Provisioning while things are merely in progress, one
 * being changed stays Updating, and one that was Ready and lost replicas is Degraded.
 */
export function observeEnvironment(current: ObservedStatus, components: ObservedComponent[], applied: boolean): Observation {
  const problems = components.map((c) => c.problem).filter((p): p is string => p !== null);
  const failing = components.filter((c) => c.failing).map((c) => c.problem);
  if (applied && components.every((c) => c.complete)) return { components, status: "ready", reason: null };
  if (failing.length > 0) return { components, status: "degraded", reason: failing.join("; ") };
  if (current === "ready" || current === "degraded") {
    return { components, status: "degraded", reason: problems.join("; ") || "Some components are not ready." };
  }
  return { components, status: current, reason: null };
}

function problemOf(desired: DesiredComponent, deployment: V1Deployment | undefined, pods: V1Pod[]): { problem: string; failing: boolean } {
  const failing = (problem: string) => ({ problem, failing: true });
  for (const pod of pods) {
    for (const c of pod.status?.containerStatuses ?? []) {
      const reason = c.state?.waiting?.reason;
      if (reason && PULL_FAILURES.has(reason)) return failing(`image ${desired.image} could not be pulled`);
      if (reason === "CrashLoopBackOff") {
        const code = c.lastState?.terminated?.exitCode;
        const times = c.restartCount === 1 ? "once" : `${c.restartCount} times`;
        return failing(`${desired.name} keeps crashing${code !== undefined ? ` (exit code ${code})` : ""}, restarted ${times}`);
      }
      if (reason === "CreateContainerConfigError" || reason === "CreateContainerError") {
        return failing(`${desired.name} cannot start: ${c.state?.waiting?.message ?? reason}`);
      }
    }
    const unschedulable = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
    if (unschedulable?.reason === "Unschedulable") return failing(`${desired.name} cannot be scheduled: ${unschedulable.message ?? "no node fits"}`);
  }
  const progressing = deployment?.status?.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return failing(`the rollout of ${desired.name} is stuck (no progress within its deadline)`);
  }
  const replicaFailure = deployment?.status?.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True");
  if (replicaFailure) return failing(`${desired.name} cannot create pods: ${replicaFailure.message ?? replicaFailure.reason}`);
  if (!deployment) return { problem: `${desired.name} is starting`, failing: false };
  const ready = deployment.status?.readyReplicas ?? 0;
  return { problem: `${ready} of ${desired.replicas} replicas of ${desired.name} are ready`, failing: false };
}

function podImage(pod: V1Pod): string | null {
  return pod.spec?.containers?.[0]?.image ?? null;
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function waitingReason(pod: V1Pod): string | null {
  const c = pod.status?.containerStatuses?.find((s) => s.state?.waiting?.reason || (s.lastState?.terminated && !s.ready));
  return c?.state?.waiting?.reason ?? null;
}
