import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { changeEnvironment } from "./change-environment";

/** Tries again after a failure: the whole desired state is applied once more. */
export async function retryEnvironment(actor: Actor, id: string) {
  return changeEnvironment(actor, id, "retry", async (_tx, env) => ({
    status: env.appliedAt ? "updating" : "provisioning",
    message: "Retry requested",
  }));
}
