import { describe, expect, it } from "vitest";
import { ALL_PERMISSIONS, can, type Permission } from "./permissions";

// The matrix as the README states it, written out independently of PERMISSIONS.
const EXPECTED: Record<Permission, string> = {
  //                           developer qa lead admin
  "environments:read": "        Y  Y  Y  Y",
  "environments:create": "      Y  Y  Y  Y",
  "environments:update": "      Y  Y  Y  Y",
  "environments:destroy": "     Y  Y  Y  Y",
  "environments:update-any": " .  .  Y  Y",
  "environments:destroy-any": " .  .  Y  Y",
  "environments:bulk-destroy": ".  .  Y  Y",
  "data:clone": "               Y  Y  Y  Y",
  "data:clone-protected": "     .  .  Y  Y",
  "templates:read": "           Y  Y  Y  Y",
  "templates:manage": "         .  .  .  Y",
  "clusters:manage": "          .  .  .  Y",
  "data-sources:manage": "      .  .  .  Y",
  "masking-rules:manage": "     .  .  .  Y",
  "settings:manage": "          .  .  .  Y",
  "audit:read": "               .  .  Y  Y",
  "metrics:read": "             .  .  .  Y",
  "webhooks:manage": "          Y  Y  Y  Y",
  "webhooks:manage-any": "      .  .  Y  Y",
  "webhooks:manage-installation": ".  .  .  Y",
  "tokens:manage": "            Y  Y  Y  Y",
  "profile:read": "             Y  Y  Y  Y",
};

describe("the permission matrix", () => {
  it("covers every permission", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ALL_PERMISSIONS].sort());
  });

  for (const permission of ALL_PERMISSIONS) {
    it(`${permission}`, () => {
      const row = EXPECTED[permission].trim().split(/\s+/);
      const actual = (["developer", "qa", "lead", "admin"] as const).map((role) => (can(role, permission) ? "Y" : "."));
      expect(actual).toEqual(row);
    });
  }
});
