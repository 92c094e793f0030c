import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { observeComponent, observeEnvironment } from "./observe";

const desired = { name: "web", image: "nginx:1.27.3", replicas: 2 };

function deployment(status: Partial<NonNullable<V1Deployment["status"]>>, image = "nginx:1.27.3", generation = 2): V1Deployment {
  return {
    metadata: { name: "web", generation },
    spec: { replicas: 2, selector: {}, template: { spec: { containers: [{ name: "web", image }] } } },
    status: { observedGeneration: generation, ...status },
  };
}

function pod(name: string, opts: { image?: string; ready?: boolean; waiting?: string; restarts?: number; exitCode?: number } = {}): V1Pod {
  return {
    metadata: { name },
    spec: { containers: [{ name: "web", image: opts.image ?? "nginx:1.27.3" }] },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: opts.ready ? "True" : "False" }],
      containerStatuses: [
        {
          name: "web",
          image: opts.image ?? "nginx:1.27.3",
          imageID: "",
          ready: !!opts.ready,
          restartCount: opts.restarts ?? 0,
          state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: {} },
          ...(opts.exitCode !== undefined ? { lastState: { terminated: { exitCode: opts.exitCode } } } : {}),
        },
      ],
    },
  };
}

const full = { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };

describe("observeComponent", () => {
  it("is complete when every replica of the desired image is ready and available", () => {
    const c = observeComponent(desired, deployment(full), [pod("a", { ready: true }), pod("b", { ready: true })]);
    expect(c).toMatchObject({ complete: true, problem: null, runningImage: "nginx:1.27.3", ready: 2 });
  });

  it("is not complete while the deployment still runs another image or has not seen its generation", () => {
    expect(observeComponent(desired, deployment(full, "nginx:1.27.2"), []).complete).toBe(false);
    expect(observeComponent(desired, { ...deployment(full), status: { ...full, observedGeneration: 1 } }, []).complete).toBe(false);
  });

  it("names a pull failure in plain words, and it is failing", () => {
    const c = observeComponent({ ...desired, image: "nginx:9.9" }, deployment({ replicas: 2 }, "nginx:9.9"), [pod("a", { image: "nginx:9.9", waiting: "ImagePullBackOff" })]);
    expect(c).toMatchObject({ complete: false, failing: true, problem: "image nginx:9.9 could not be pulled" });
  });

  it("names a crash loop with its exit code and restarts", () => {
    const c = observeComponent(desired, deployment({ replicas: 2 }), [pod("a", { waiting: "CrashLoopBackOff", restarts: 4, exitCode: 1 })]);
    expect(c.problem).toBe("web keeps crashing (exit code 1), restarted 4 times");
    expect(c.pods[0]).toMatchObject({ reason: "CrashLoopBackOff", restarts: 4 });
  });

  it("ignores old pods of a previous image while a rollout replaces them", () => {
    const c = observeComponent(desired, deployment({ replicas: 2, updatedReplicas: 1, readyReplicas: 1 }), [
      pod("old", { image: "nginx:bad", waiting: "CrashLoopBackOff" }),
      pod("new", { ready: true }),
    ]);
    expect(c.failing).toBe(false);
    expect(c.problem).toBe("1 of 2 replicas of web are ready");
  });
});

describe("observeEnvironment", () => {
  const complete = observeComponent(desired, deployment(full), [pod("a", { ready: true }), pod("b", { ready: true })]);
  const starting = observeComponent(desired, undefined, []);
  const crashing = observeComponent(desired, deployment({ replicas: 2 }), [pod("a", { waiting: "CrashLoopBackOff", restarts: 2 })]);

  it("is ready when everything applied is complete", () => {
    expect(observeEnvironment("provisioning", [complete], true)).toMatchObject({ status: "ready", reason: null });
    expect(observeEnvironment("provisioning", [complete], false).status).toBe("provisioning");
  });

  it("stays provisioning or updating while merely in progress", () => {
    expect(observeEnvironment("provisioning", [starting], true).status).toBe("provisioning");
    expect(observeEnvironment("updating", [starting], true).status).toBe("updating");
  });

  it("is degraded with the reason when something fails, or when a ready one loses replicas", () => {
    expect(observeEnvironment("provisioning", [complete, crashing], true)).toMatchObject({ status: "degraded", reason: expect.stringMatching(/keeps crashing/) });
    expect(observeEnvironment("ready", [starting], true)).toMatchObject({ status: "degraded", reason: "web is starting" });
  });
});
