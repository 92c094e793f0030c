import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { changeEnvironment, type EnvironmentDetail, type Initiator, initiatorName, type SystemInitiator } from "./change-environment";

/**
 * Starts tearing an environment down; asking again while it is Destroying changes nothing.
 * Who asked and why stay with it, for its page once it is gone.
 */
export async function destroyEnvironment(actor: Actor, id: string, reason?: string): Promise<EnvironmentDetail>;
export async function destroyEnvironment(initiator: SystemInitiator, id: string, reason?: string): Promise<{ changed: boolean }>;
export async function destroyEnvironment(initiator: Initiator, id: string, reason?: string) {
  return changeEnvironment(initiator, id, "destroy", async (tx, env) => {
    if (env.lifecycle === "destroying") return null;
    await tx.environment.update({ where: { id }, data: { destroyedBy: initiatorName(initiator), destroyReason: reason || null } });
    return { patch: { lifecycle: "destroying", phaseReason: null }, message: reason ? `Destroy requested: ${reason}` : "Destroy requested" };
  });
}
