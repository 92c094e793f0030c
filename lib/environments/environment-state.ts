import type { EnvironmentLifecycle, EnvironmentPhase, EnvironmentPower, EnvironmentStatus } from "@/lib/db/generated/enums";

// An environment's state has two halves, like a Kubernetes object's spec and status: what is
// wanted (lifecycle, power, the desired generation of its components) and what was seen (the
// phase, with its reason, and the generation last applied). The status people read is
// derived here and nowhere else; writers store it beside the halves (write-state.ts) so that
// lists can filter and sort on it.

export interface EnvironmentState {
  lifecycle: EnvironmentLifecycle;
  power: EnvironmentPower;
  phase: EnvironmentPhase;
  phaseReason: string | null;
  desiredGeneration: number;
  appliedGeneration: number;
  /** When a desired state was first applied: null while the environment was never made. */
  appliedAt: Date | null;
  /** Why work on it is waiting to be tried again after a transient failure; it stays in its status meanwhile. */
  retryReason?: string | null;
}

export interface DerivedStatus {
  status: EnvironmentStatus;
  reason: string | null;
}

export function deriveStatus(s: EnvironmentState): DerivedStatus {
  if (s.lifecycle === "destroyed") return { status: "destroyed", reason: null };
  // Work meeting transient failures keeps the status it has, and says why it waits.
  const retrying = s.retryReason ?? null;
  // While destroying, the reason is why a clean-up step is stuck (null while it goes well).
  if (s.lifecycle === "destroying") return { status: "destroying", reason: retrying ?? s.phaseReason };
  if (s.power === "asleep") return { status: "sleeping", reason: retrying };
  // A change not yet applied is in progress whatever was seen before it.
  if (s.appliedGeneration < s.desiredGeneration) return { status: s.appliedAt ? "updating" : "provisioning", reason: retrying };
  return { status: s.phase, reason: retrying ?? s.phaseReason };
}

/** The phase to record once a generation has been applied: the rollout it starts. */
export function phaseAfterApply(s: Pick<EnvironmentState, "appliedAt" | "phase">): EnvironmentPhase {
  return s.appliedAt && s.phase !== "provisioning" ? "updating" : "provisioning";
}

/**
 * Whether two reasons tell the same thing: a crash loop counting its restarts, or a rollout
 * counting ready replicas, is one chapter of the history, not one entry per count.
 */
export function sameReason(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const shape = (s: string) => s.replace(/\b(once|twice)\b/g, "# times").replace(/\d+/g, "#");
  return shape(a) === shape(b);
}
