import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { STATUS_LABELS } from "./status-labels";

// Which actions each status allows. A request the status does not allow is a 409 that names
// the status, so a pipeline can tell "not now" from "not valid".

export type EnvironmentAction = "update" | "rollback" | "upgrade" | "retry" | "destroy";

const CHANGEABLE: EnvironmentStatus[] = ["ready", "degraded", "updating", "failed"];

const ALLOWED: Record<EnvironmentAction, EnvironmentStatus[]> = {
  update: CHANGEABLE,
  rollback: CHANGEABLE,
  upgrade: CHANGEABLE,
  retry: ["failed", "degraded"],
  destroy: ["provisioning", "ready", "degraded", "updating", "sleeping", "failed", "destroying"],
};

const WHAT: Record<EnvironmentAction, string> = {
  update: "have its versions changed",
  rollback: "be rolled back",
  upgrade: "be moved to its template's versions",
  retry: "be retried",
  destroy: "be destroyed",
};

export function isAllowed(action: EnvironmentAction, status: EnvironmentStatus): boolean {
  return ALLOWED[action].includes(status);
}

export function assertAllowed(action: EnvironmentAction, status: EnvironmentStatus): void {
  if (isAllowed(action, status)) return;
  const when = ALLOWED[action].map((s) => STATUS_LABELS[s]).join(", ");
  throw new AppError("conflict", `The environment is ${STATUS_LABELS[status]}, so it cannot ${WHAT[action]} now (only when ${when}).`, {
    status,
  });
}

/** The actions a person may offer for an environment in this status, for the UI. */
export function allowedActions(status: EnvironmentStatus): EnvironmentAction[] {
  return (Object.keys(ALLOWED) as EnvironmentAction[]).filter((a) => isAllowed(a, status));
}
