import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { actionsFor, allowedActions, assertAllowed, assertMay, type EnvironmentAction } from "./state-machine";

describe("environment state machine", () => {
  it("lets a ready environment change, roll back and be destroyed, but not retry", () => {
    expect(allowedActions("ready")).toEqual(["update", "rollback", "upgrade", "destroy", "restart", "scale", "hand-over", "hostnames", "sleep", "extend", "pin"]);
  });

  it("allows only destroy, a hand-over and its expiry while provisioning, and nothing once destroyed", () => {
    expect(allowedActions("provisioning")).toEqual(["destroy", "hand-over", "hostnames", "extend", "pin"]);
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

const person = (id: string, role: Actor["role"], scopes: Actor["scopes"] = null): Actor => ({ id, email: `${id}@x`, name: id, role, via: scopes ? "token:t" : "session", scopes });
const owner = person("owner", "developer");
const other = person("other", "qa");
const lead = person("lead", "lead");
const STATUSES: EnvironmentStatus[] = ["provisioning", "ready", "degraded", "updating", "sleeping", "failed", "destroying", "destroyed"];
const allowed = (viewer: Actor, status: EnvironmentStatus, extra: { hasPrevious?: boolean; hasTemplate?: boolean; cleanupFailed?: boolean; pinned?: boolean } = {}) =>
  actionsFor(viewer, { ownerId: "owner", status, hasPrevious: true, hasTemplate: true, ...extra })
    .filter((a) => a.allowed)
    .map((a) => a.action);

describe("actions per viewer", () => {
  it.each(STATUSES)("the owner and a lead get the same actions in %s but the lead's pin; another developer gets none, each with the rule as reason", (status) => {
    expect(allowed(owner, status)).toEqual(allowed(lead, status).filter((a) => a !== "pin"));
    expect(allowed(other, status)).toEqual([]);
    for (const offer of actionsFor(other, { ownerId: "owner", status, hasPrevious: true, hasTemplate: true })) {
      expect(offer.reason).toMatch(offer.action === "pin" ? /^Only a lead or an admin may pin/ : /Only the owner or a lead may (change|destroy) this environment\./);
    }
  });

  it("offers by status exactly what the API accepts", () => {
    const table = Object.fromEntries(STATUSES.map((s) => [s, allowed(owner, s)]));
    expect(table).toEqual({
      provisioning: ["destroy", "hand-over", "hostnames", "extend"],
      ready: ["update", "rollback", "upgrade", "destroy", "restart", "scale", "hand-over", "hostnames", "sleep", "extend"],
      degraded: ["update", "rollback", "upgrade", "destroy", "restart", "scale", "hand-over", "hostnames", "sleep", "extend"],
      updating: ["update", "rollback", "upgrade", "destroy", "restart", "scale", "hand-over", "hostnames", "sleep", "extend"],
      // Asleep: woken (or destroyed, handed over, its expiry moved), not changed.
      sleeping: ["destroy", "hand-over", "hostnames", "wake", "extend"],
      // Nothing runs to restart; replicas and versions can change.
      failed: ["update", "rollback", "upgrade", "retry", "destroy", "scale", "hand-over", "hostnames", "sleep", "extend"],
      // Asking again is no error, but nothing to offer.
      destroying: [],
      destroyed: [],
    });
  });

  it("says why: retry is for Failed, rollback needs a previous version, upgrade a template", () => {
    const reason = (a: EnvironmentAction, status: EnvironmentStatus, extra = {}) =>
      actionsFor(owner, { ownerId: "owner", status, hasPrevious: true, hasTemplate: true, ...extra }).find((o) => o.action === a)!.reason;
    expect(reason("retry", "degraded")).toMatch(/is Degraded, so it cannot be retried now \(only when Failed\)/);
    expect(reason("rollback", "ready", { hasPrevious: false })).toBe("There is no previous version to roll back to.");
    expect(reason("upgrade", "ready", { hasTemplate: false })).toBe("This environment was not made from a template.");
    expect(allowed(owner, "destroying", { cleanupFailed: true })).toEqual(["retry"]);
    expect(reason("extend", "ready", { pinned: true })).toBe("It is pinned: it does not expire.");
  });

  it("holds a token to its scopes, and refuses with 403 for who and 409 for when", () => {
    const readOnly = person("owner", "developer", ["environments:read"]);
    expect(allowed(readOnly, "ready")).toEqual([]);
    expect(() => assertMay(other, { ownerId: "owner", status: "ready", hasPrevious: true, hasTemplate: true }, "destroy")).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => assertMay(owner, { ownerId: "owner", status: "provisioning", hasPrevious: true, hasTemplate: true }, "update")).toThrow(expect.objectContaining({ code: "conflict" }));
    // Destroying again is accepted and does nothing.
    expect(() => assertMay(owner, { ownerId: "owner", status: "destroying", hasPrevious: true, hasTemplate: true }, "destroy")).not.toThrow();
  });
});
