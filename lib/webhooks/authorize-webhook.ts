import type { Actor } from "@/lib/auth/actor";
import { actorMay } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

// Who manages which webhooks: admins those of every environment (installation-wide); an
// environment's owner, leads and admins those of one environment. Routes require
// webhooks:manage (every role); the scope is judged here, against the environment's owner
// now (a hand-over passes its webhooks on).

/** Why this actor may not manage webhooks of this scope (null: every environment), or null. */
export function webhookScopeProblem(actor: Actor, environment: { ownerId: string } | null): string | null {
  if (!actorMay(actor, "webhooks:manage")) return `Your role (${actor.role}) may not manage webhooks.`;
  if (!environment) return actorMay(actor, "webhooks:manage-installation") ? null : "Only an admin may manage webhooks for every environment.";
  if (environment.ownerId === actor.id || actorMay(actor, "webhooks:manage-any")) return null;
  return "Only the environment's owner, a lead or an admin may manage its webhooks.";
}

export function assertMayManageWebhooks(actor: Actor, environment: { ownerId: string } | null): void {
  const problem = webhookScopeProblem(actor, environment);
  if (problem) throw new AppError("forbidden", problem);
}
