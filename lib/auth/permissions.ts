import type { Role } from "@/lib/db/generated/enums";
import { ROLES } from "./roles";

export { ROLES };

const everyone = ROLES;
const leads = ["lead", "admin"] as const;
const admins = ["admin"] as const;

// The one matrix of who may do what; README's table is this one. "Own" permissions are
// checked against the environment's owner by the service; the `-any` ones lift that.
export const PERMISSIONS = {
  "environments:read": everyone,
  "environments:create": everyone,
  "environments:update": everyone,
  "environments:destroy": everyone,
  "environments:update-any": leads,
  "environments:destroy-any": leads,
  "environments:bulk-destroy": leads,
  "data:clone": everyone,
  "data:clone-protected": leads,
  "templates:read": everyone,
  "templates:manage": admins,
  "clusters:manage": admins,
  "data-sources:manage": admins,
  "masking-rules:manage": admins,
  "settings:manage": admins,
  "audit:read": leads,
  "metrics:read": admins,
  "webhooks:manage": everyone,
  "webhooks:manage-any": leads,
  "webhooks:manage-installation": admins,
  "tokens:manage": everyone,
  "profile:read": everyone,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Whether this caller may: their role allows it and, with a token, its scopes include it. */
export function actorMay(actor: { role: Role; scopes: readonly Permission[] | null }, permission: Permission): boolean {
  return can(actor.role, permission) && (!actor.scopes || actor.scopes.includes(permission));
}

export function permissionsOf(role: Role): Permission[] {
  return ALL_PERMISSIONS.filter((p) => can(role, p));
}
