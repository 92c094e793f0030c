import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getLifecycleSettings } from "@/lib/lifecycle/settings";
import { changeEnvironment } from "./change-environment";

const HOUR = 3_600_000;

/**
 * A lead's pin: the environment no longer expires and is never destroyed for sleeping. Taking
 * the pin away gives it its template's time to live again, from now (at most the longest allowed).
 */
export async function pinEnvironment(actor: Actor, id: string, pinned: boolean) {
  const settings = await getLifecycleSettings();
  return changeEnvironment(actor, id, "pin", async (tx, env) => {
    if ((env.pinnedBy !== null) === pinned) return null;
    if (pinned) {
      await tx.environment.update({ where: { id }, data: { pinnedBy: actor.email, expiresAt: null } });
      return { message: "Pinned: it no longer expires", clusterUnchanged: true };
    }
    const template = env.templateId ? await tx.template.findUnique({ where: { id: env.templateId }, select: { defaultTtlHours: true } }) : null;
    const hours = Math.min(template?.defaultTtlHours ?? 72, settings.maxTtlHours);
    const expiresAt = new Date(Date.now() + hours * HOUR);
    await tx.environment.update({ where: { id }, data: { pinnedBy: null, expiresAt } });
    return { message: `Unpinned: it expires ${expiresAt.toISOString()}`, clusterUnchanged: true };
  });
}
