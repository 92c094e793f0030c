import type { Role } from "@/lib/db/generated/enums";

// The one matrix of who may do what. Issue 4 (sign-in, tokens) builds on it; every route
// handler names one of these permissions in withRoute.
export const PERMISSIONS = {
  "environments:read": ["developer", "qa", "lead", "admin"],
  "environments:create": ["developer", "qa", "lead", "admin"],
  "templates:read": ["developer", "qa", "lead", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
