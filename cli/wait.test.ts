import { describe, expect, it } from "vitest";
import { judge, parseChange } from "./wait.js";

const env = (status: string, statusReason: string | null = null, cleanup?: { title: string; status: string; error: string | null }[]) => ({ name: "pr-42", status, statusReason, cleanup }) as any;

describe("what --wait makes of an environment", () => {
  it("is done when the status is the one waited for", () => {
    expect(judge(env("ready"), "ready")).toEqual({ done: true });
    expect(judge(env("sleeping"), "sleeping")).toEqual({ done: true });
    expect(judge(env("destroyed"), "destroyed")).toEqual({ done: true });
  });

  it("waits through provisioning, updating and degraded (which may recover)", () => {
    for (const status of ["provisioning", "updating", "degraded"]) expect(judge(env(status, "web is starting"), "ready")).toEqual({ done: false });
  });

  it("fails on Failed with the reason, and on a destroy while waiting for Ready", () => {
    expect(judge(env("failed", "the quota refuses 3 pods"), "ready")).toEqual({ done: false, failed: "pr-42 failed: the quota refuses 3 pods" });
    expect(judge(env("destroying"), "ready")).toMatchObject({ failed: expect.stringMatching(/Destroying, so it will not become Ready/) });
  });

  it("fails a destroy stopped at a clean-up step, naming the step and the way on", () => {
    expect(judge(env("destroying", null, [{ title: "Delete the namespace", status: "done", error: null }]), "destroyed")).toEqual({ done: false });
    expect(judge(env("destroying", null, [{ title: "Drop the data stores", status: "failed", error: "MariaDB refused" }]), "destroyed")).toEqual({
      done: false,
      failed: "The destroy of pr-42 stopped at “Drop the data stores”: MariaDB refused Retry with corral env retry pr-42.",
    });
  });

  it("reads a change event, with its job notice, and nothing malformed", () => {
    expect(parseChange('{"id":"e1","status":"ready","at":"2026-01-01T00:00:00Z"}')).toEqual({ id: "e1", status: "ready" });
    expect(parseChange('{"id":"e1","status":"ready","job":{"id":"j","kind":"data-copy","status":"running"}}')).toEqual({ id: "e1", status: "ready", job: { kind: "data-copy", status: "running" } });
    expect(parseChange("nope")).toBeNull();
    expect(parseChange('{"id":1}')).toBeNull();
  });
});
