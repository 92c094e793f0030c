import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { changeEnvironment } from "./change-environment";

/**
 * Tries again after a failure: the whole desired state is applied once more; or, for a destroy
 * stopped at a failed clean-up step, the steps run again from that one.
 */
export async function retryEnvironment(actor: Actor, id: string) {
  return changeEnvironment(actor, id, "retry", async (tx, env) => {
    if (env.lifecycle === "destroying") {
      await tx.cleanupStep.updateMany({ where: { environmentId: env.id, status: "failed" }, data: { status: "pending", error: null, attempts: 0 } });
      return { patch: { phaseReason: null }, message: "Retry of the destroy requested", resumeDestroy: true };
    }
    return { patch: { phaseReason: null }, message: "Retry requested" };
  });
}
