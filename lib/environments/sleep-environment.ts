import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { changeEnvironment, type EnvironmentDetail, type Initiator, isSystem, type SystemInitiator } from "./change-environment";

/**
 * Scales every Deployment of the environment to zero (persistent components stay up), keeping
 * the replicas it is woken back to. Its names go on answering, at the waker where the cluster
 * has one (a "waking up" page), so that a visit wakes it.
 */
export async function sleepEnvironment(actor: Actor, id: string): Promise<EnvironmentDetail>;
export async function sleepEnvironment(initiator: SystemInitiator, id: string): Promise<{ changed: boolean }>;
export async function sleepEnvironment(initiator: Initiator, id: string) {
  return changeEnvironment(initiator, id, "sleep", async (tx, env) => {
    if (env.power === "asleep") return null;
    await tx.environment.update({ where: { id }, data: { asleepSince: new Date() } });
    return { patch: { power: "asleep" }, message: isSystem(initiator) ? `Asleep: ${initiator.system}` : "Put to sleep" };
  });
}

/** Brings a sleeping environment back to the replicas it had, in its template's start order. */
export async function wakeEnvironment(actor: Actor, id: string): Promise<EnvironmentDetail>;
export async function wakeEnvironment(initiator: SystemInitiator, id: string, activity?: string): Promise<{ changed: boolean }>;
export async function wakeEnvironment(initiator: Initiator, id: string, activity?: string) {
  return changeEnvironment(initiator, id, "wake", async (tx, env) => {
    if (env.power === "awake") return null;
    // A visit to one of its names is someone using it, though Corral does the waking.
    await tx.environment.update({ where: { id }, data: { asleepSince: null, ...(activity ? { lastActivityAt: new Date(), lastActivityKind: activity } : {}) } });
    return { patch: { power: "awake" }, message: isSystem(initiator) ? `Woken: ${initiator.system}` : "Woken" };
  });
}
