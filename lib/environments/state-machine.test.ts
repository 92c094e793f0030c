import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { allowedActions, assertAllowed } from "./state-machine";

describe("environment state machine", () => {
  it("lets a ready environment change, roll back and be destroyed, but not retry", () => {
    expect(allowedActions("ready")).toEqual(["update", "rollback", "upgrade", "destroy"]);
  });

  it("allows only destroy while provisioning, and nothing once destroyed", () => {
    expect(allowedActions("provisioning")).toEqual(["destroy"]);
    expect(allowedActions("destroyed")).toEqual([]);
  });

  it("answers a refused action with a 409 that names the status", () => {
    let error: unknown;
    try {
      assertAllowed("update", "provisioning");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(409);
    expect((error as AppError).message).toMatch(/^The environment is Provisioning, so it cannot have its versions changed now/);
    expect((error as AppError).details).toEqual({ status: "provisioning" });
  });
});
