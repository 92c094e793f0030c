import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { STATUS_LABELS } from "./status-labels";

// Which actions a viewer may take on an environment now, each with the reason when not: who
// they are (owner, lead, admin, a token's scopes), the status, and what the action needs (a
// previous version, a template). The API refuses with these reasons and the UI offers these
// actions as they are, so the two never disagree.

export const ENVIRONMENT_ACTIONS = ["update", "rollback", "upgrade", "retry", "destroy", "restart", "scale", "hand-over", "hostnames", "sleep", "wake", "extend", "pin"] as const;
export type EnvironmentAction = (typeof ENVIRONMENT_ACTIONS)[number];

const CHANGEABLE: EnvironmentStatus[] = ["ready", "degraded", "updating", "failed"];
const LIVE: EnvironmentStatus[] = ["provisioning", "ready", "degraded", "updating", "sleeping", "failed"];

const ALLOWED: Record<EnvironmentAction, EnvironmentStatus[]> = {
  update: CHANGEABLE,
  rollback: CHANGEABLE,
  upgrade: CHANGEABLE,
  // Retry is for what Kubernetes refused; a degraded environment recovers by itself or by a change.
  retry: ["failed"],
  // Asking again while it is being destroyed changes nothing, and is no error.
  destroy: ["provisioning", "ready", "degraded", "updating", "sleeping", "failed", "destroying"],
  // A restart replaces running pods: there must be some, or a rollout to replace.
  restart: ["ready", "degraded", "updating"],
  scale: CHANGEABLE,
  "hand-over": LIVE,
  hostnames: LIVE,
  sleep: ["ready", "degraded", "updating", "failed"],
  wake: ["sleeping"],
  extend: LIVE,
  pin: LIVE,
};

const WHAT: Record<EnvironmentAction, string> = {
  update: "have its versions changed",
  rollback: "be rolled back",
  upgrade: "be moved to its template's versions",
  retry: "be retried",
  destroy: "be destroyed",
  restart: "have a component restarted",
  scale: "have a component's replicas changed",
  "hand-over": "be handed to someone else",
  hostnames: "have its hostnames changed",
  sleep: "be put to sleep",
  wake: "be woken",
  extend: "have its expiry extended",
  pin: "be pinned or unpinned",
};

export interface ActionSubject {
  ownerId: string;
  status: EnvironmentStatus;
  /** Some component has a version to go back to. */
  hasPrevious: boolean;
  /** It was made from a template that still exists. */
  hasTemplate: boolean;
  /** A clean-up step of its destroy failed and waits for a Retry. */
  cleanupFailed?: boolean;
  /** Pinned by a lead: it does not expire, so there is nothing to extend. */
  pinned?: boolean;
}

export interface ActionOffer {
  action: EnvironmentAction;
  allowed: boolean;
  /** Why not, in plain words; null when allowed. */
  reason: string | null;
  /** The API's answer when it is taken anyway: 403 for who, 409 for when. */
  refusal: "forbidden" | "conflict" | null;
}

export function isAllowed(action: EnvironmentAction, status: EnvironmentStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** The actions the status allows, whoever asks. */
export function allowedActions(status: EnvironmentStatus): EnvironmentAction[] {
  return ENVIRONMENT_ACTIONS.filter((a) => isAllowed(a, status));
}

/** Every action, for this viewer and this environment, allowed or with the reason it is not. */
export function actionsFor(viewer: Actor, env: ActionSubject): ActionOffer[] {
  return ENVIRONMENT_ACTIONS.map((action) => offer(viewer, env, action));
}

/** Throws the API's refusal (403 or 409) when the viewer may not take the action now (one with nothing to do passes). */
export function assertMay(viewer: Actor, env: ActionSubject, action: EnvironmentAction): void {
  const o = offer(viewer, env, action);
  if (!o.allowed && o.refusal) throw new AppError(o.refusal ?? "conflict", o.reason ?? "Not allowed.", o.refusal === "conflict" && !isAllowed(action, env.status) ? { status: env.status } : undefined);
}

/** The 409 for an action the status does not allow, naming the status. */
export function assertAllowed(action: EnvironmentAction, status: EnvironmentStatus): void {
  if (isAllowed(action, status)) return;
  throw new AppError("conflict", statusReason(action, status), { status });
}

function offer(viewer: Actor, env: ActionSubject, action: EnvironmentAction): ActionOffer {
  const who = action === "pin" ? pinProblem(viewer) : whoProblem(viewer, env.ownerId, action === "destroy" ? "destroy" : "update");
  if (who) return { action, allowed: false, reason: who, refusal: "forbidden" };
  // A destroy stopped at a failed clean-up step is retried like a failure.
  if (action === "retry" && env.status === "destroying" && env.cleanupFailed) return { action, allowed: true, reason: null, refusal: null };
  if (!isAllowed(action, env.status)) return { action, allowed: false, reason: statusReason(action, env.status), refusal: "conflict" };
  if (action === "destroy" && env.status === "destroying") return { action, allowed: false, reason: "It is being destroyed.", refusal: null };
  if (action === "rollback" && !env.hasPrevious) return { action, allowed: false, reason: "There is no previous version to roll back to.", refusal: "conflict" };
  if (action === "extend" && env.pinned) return { action, allowed: false, reason: "It is pinned: it does not expire.", refusal: "conflict" };
  if (action === "upgrade" && !env.hasTemplate) return { action, allowed: false, reason: "This environment was not made from a template.", refusal: "conflict" };
  return { action, allowed: true, reason: null, refusal: null };
}

/** Whether the viewer may change (or destroy) an environment of this owner, whatever its status. */
export function mayAct(viewer: Actor, ownerId: string, kind: "update" | "destroy"): boolean {
  return whoProblem(viewer, ownerId, kind) === null;
}

/** Throws 403 unless the viewer may change (or destroy) an environment of this owner, whatever its status. */
export function assertMayAct(viewer: Actor, ownerId: string, kind: "update" | "destroy"): void {
  const problem = whoProblem(viewer, ownerId, kind);
  if (problem) throw new AppError("forbidden", problem);
}

/** Developers and QA change and destroy their own environments; leads and admins anyone's. */
function whoProblem(viewer: Actor, ownerId: string, kind: "update" | "destroy"): string | null {
  const own = kind === "update" ? "environments:update" : "environments:destroy";
  const any = kind === "update" ? "environments:update-any" : "environments:destroy-any";
  const verb = kind === "update" ? "change" : "destroy";
  if (!can(viewer.role, own)) return `Your role (${viewer.role}) may not ${verb} environments.`;
  if (viewer.scopes && !viewer.scopes.includes(own)) return `This API token lacks the scope ${own}.`;
  if (viewer.id === ownerId) return null;
  if (can(viewer.role, any) && (!viewer.scopes || viewer.scopes.includes(any))) return null;
  return `Only the owner or a lead may ${verb} this environment.`;
}

/** Pinning lifts an environment out of expiry for everyone's sake: a lead's call, not its owner's. */
function pinProblem(viewer: Actor): string | null {
  if (!can(viewer.role, "environments:update-any")) return "Only a lead or an admin may pin an environment or take its pin away.";
  if (viewer.scopes && !viewer.scopes.includes("environments:update-any")) return "This API token lacks the scope environments:update-any.";
  return null;
}

// Built once: every environment of a list carries these.
const STATUS_REASONS = new Map<string, string>();

function statusReason(action: EnvironmentAction, status: EnvironmentStatus): string {
  const key = `${action}:${status}`;
  let reason = STATUS_REASONS.get(key);
  if (!reason) {
    const when = ALLOWED[action].map((s) => STATUS_LABELS[s]).join(", ");
    reason = `The environment is ${STATUS_LABELS[status]}, so it cannot ${WHAT[action]} now (only when ${when}).`;
    STATUS_REASONS.set(key, reason);
  }
  return reason;
}
