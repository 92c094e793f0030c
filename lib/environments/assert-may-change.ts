import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

/** Developers and QA change and destroy their own environments; leads and admins anyone's. */
export function assertMayChange(actor: Actor, ownerId: string, kind: "update" | "destroy"): void {
  if (actor.id === ownerId) return;
  const permission = kind === "update" ? "environments:update-any" : "environments:destroy-any";
  if (can(actor.role, permission) && (!actor.scopes || actor.scopes.includes(permission))) return;
  throw new AppError("forbidden", `Only the owner or a lead may ${kind === "update" ? "change" : "destroy"} this environment.`);
}
