import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";

/**
 * Replaces every pod of a component, like `kubectl rollout restart`, but as desired state: the
 * time of the request goes into the pod template, so the reconciler applies it and a later
 * apply does not undo it.
 */
export async function restartComponent(actor: Actor, id: string, componentName: string) {
  return changeEnvironment(actor, id, "restart", async (tx, env) => {
    const component = env.components.find((c) => c.name === componentName);
    if (!component) throw new AppError("not_found", `The environment has no component “${componentName}”.`);
    await tx.component.update({ where: { id: component.id }, data: { restartedAt: new Date() } });
    return { message: `${componentName} restarted` };
  });
}
