import { describe, expect, it } from "vitest";
import { deriveStatus, type EnvironmentState, phaseAfterApply, sameReason } from "./environment-state";

const base: EnvironmentState = {
  lifecycle: "active",
  power: "awake",
  phase: "ready",
  phaseReason: null,
  desiredGeneration: 3,
  appliedGeneration: 3,
  appliedAt: new Date(),
};

describe("deriveStatus", () => {
  it("shows what was seen when everything wanted has been applied", () => {
    expect(deriveStatus(base)).toEqual({ status: "ready", reason: null });
    expect(deriveStatus({ ...base, phase: "degraded", phaseReason: "web keeps crashing" })).toEqual({ status: "degraded", reason: "web keeps crashing" });
    expect(deriveStatus({ ...base, phase: "failed", phaseReason: "Kubernetes refused" })).toEqual({ status: "failed", reason: "Kubernetes refused" });
  });

  it("shows a change in progress until it is applied: provisioning the first time, updating after", () => {
    expect(deriveStatus({ ...base, desiredGeneration: 4 })).toEqual({ status: "updating", reason: null });
    expect(deriveStatus({ ...base, desiredGeneration: 1, appliedGeneration: 0, appliedAt: null, phase: "provisioning" }).status).toBe("provisioning");
    // A retry after a failure is a change like any other.
    expect(deriveStatus({ ...base, phase: "failed", phaseReason: "refused", desiredGeneration: 4 }).status).toBe("updating");
  });

  it("lets what is wanted win over what was seen: destroy, then sleep", () => {
    expect(deriveStatus({ ...base, lifecycle: "destroying", phaseReason: null }).status).toBe("destroying");
    expect(deriveStatus({ ...base, lifecycle: "destroying", phaseReason: "namespace: the cluster cannot be reached" }).reason).toMatch(/cannot be reached/);
    expect(deriveStatus({ ...base, lifecycle: "destroyed", phase: "degraded" })).toEqual({ status: "destroyed", reason: null });
    expect(deriveStatus({ ...base, power: "asleep", phase: "degraded", desiredGeneration: 9 })).toEqual({ status: "sleeping", reason: null });
  });
});

describe("deriveStatus while work waits on a retry", () => {
  const retryReason = "Applying Deployment api (6 of 8 applied): the cluster's API is answering with errors (503); retrying, attempt 2, next in 4 s.";

  it("keeps the status and says why it waits", () => {
    const provisioning = { ...base, desiredGeneration: 1, appliedGeneration: 0, appliedAt: null, phase: "provisioning" as const };
    expect(deriveStatus({ ...provisioning, retryReason })).toEqual({ status: "provisioning", reason: retryReason });
    expect(deriveStatus({ ...base, desiredGeneration: 4, retryReason })).toEqual({ status: "updating", reason: retryReason });
    expect(deriveStatus({ ...base, lifecycle: "destroying", phaseReason: "older", retryReason })).toEqual({ status: "destroying", reason: retryReason });
    // A namespace made again behind a Ready environment: still Ready, saying what it waits on.
    expect(deriveStatus({ ...base, retryReason })).toEqual({ status: "ready", reason: retryReason });
  });

  it("is never Failed for it, and a refusal's reason shows once the retry is over", () => {
    expect(deriveStatus({ ...base, phase: "failed", phaseReason: "Kubernetes refused", retryReason: null })).toEqual({ status: "failed", reason: "Kubernetes refused" });
    expect(deriveStatus({ ...base, desiredGeneration: 4, retryReason }).status).not.toBe("failed");
  });
});

describe("phaseAfterApply", () => {
  it("is a rollout of something that ran before, else the first provisioning", () => {
    expect(phaseAfterApply({ appliedAt: new Date(), phase: "ready" })).toBe("updating");
    expect(phaseAfterApply({ appliedAt: new Date(), phase: "provisioning" })).toBe("provisioning");
    expect(phaseAfterApply({ appliedAt: null, phase: "failed" })).toBe("provisioning");
  });
});

describe("sameReason", () => {
  it("takes a count going up as the same reason, and another problem as another", () => {
    expect(sameReason("web keeps crashing (exit code 1), restarted once", "web keeps crashing (exit code 1), restarted 12 times")).toBe(true);
    expect(sameReason("1 of 3 replicas of web are ready", "2 of 3 replicas of web are ready")).toBe(true);
    expect(sameReason("image acme/web:9.9 could not be pulled", "web keeps crashing (exit code 1), restarted once")).toBe(false);
    expect(sameReason(null, "web is starting")).toBe(false);
    expect(sameReason(null, null)).toBe(true);
  });
});
