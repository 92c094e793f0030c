import type { Actor } from "./actor";
import { can, permissionsOf } from "./permissions";

/** What /api/v1/me says about the caller. */
export function describeActor(actor: Actor) {
  return {
    id: actor.id,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    via: actor.via,
    // A token keeps its scopes, but never more than its owner's current role allows.
    permissions: actor.scopes ? actor.scopes.filter((p) => can(actor.role, p)) : permissionsOf(actor.role),
  };
}

export type ActorDescription = ReturnType<typeof describeActor>;
