import { describe, expect, it } from "vitest";
import { parseRoleMap, roleFromGroups } from "./role-from-groups";

const map = parseRoleMap("platform-admins=admin, eng-leads=lead,qa-team=qa");

describe("roleFromGroups", () => {
  it("takes the highest mapped role", () => {
    expect(roleFromGroups(["qa-team", "eng-leads"], map)).toBe("lead");
    expect(roleFromGroups(["platform-admins", "qa-team"], map)).toBe("admin");
  });

  it("makes anyone in no mapped group a developer, whatever the claim holds", () => {
    expect(roleFromGroups(["marketing"], map)).toBe("developer");
    expect(roleFromGroups(undefined, map)).toBe("developer");
    expect(roleFromGroups([42, null], map)).toBe("developer");
  });

  it("accepts a single group given as a string", () => {
    expect(roleFromGroups("qa-team", map)).toBe("qa");
  });
});
