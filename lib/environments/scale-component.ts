import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";

/** Runs a component with another number of replicas (0 stops it and keeps it). */
export async function scaleComponent(actor: Actor, id: string, componentName: string, replicas: number) {
  return changeEnvironment(actor, id, "scale", async (tx, env) => {
    const component = env.components.find((c) => c.name === componentName);
    if (!component) throw new AppError("not_found", `The environment has no component “${componentName}”.`);
    if (component.replicas === replicas) return null;
    await tx.component.update({ where: { id: component.id }, data: { replicas } });
    return { message: `${componentName}: ${component.replicas} → ${replicas} replica${replicas === 1 ? "" : "s"}` };
  });
}
