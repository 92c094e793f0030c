import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { getLifecycleSettings } from "@/lib/lifecycle/settings";
import type { ExtendInput } from "@/lib/lifecycle/schemas";
import { changeEnvironment } from "./change-environment";

const HOUR = 3_600_000;

/**
 * Moves the expiry later (or to a given moment), never past the longest time to live an admin
 * allows from now. A pinned environment has no expiry to move.
 */
export async function extendEnvironment(actor: Actor, id: string, input: ExtendInput) {
  const { maxTtlHours } = await getLifecycleSettings();
  return changeEnvironment(actor, id, "extend", async (tx, env) => {
    const now = Date.now();
    const current = (await tx.environment.findUniqueOrThrow({ where: { id }, select: { expiresAt: true } })).expiresAt;
    const target = input.until ? new Date(input.until).getTime() : Math.max(current?.getTime() ?? now, now) + input.hours! * HOUR;
    const latest = now + maxTtlHours * HOUR;
    const field = input.until ? "until" : "hours";
    if (target <= now) throw new AppError("invalid_input", "Some fields are not valid.", { [field]: ["That is in the past."] });
    if (target > latest + 60_000) {
      throw new AppError("invalid_input", "Some fields are not valid.", {
        [field]: [`At most ${maxTtlHours} hours from now (until ${new Date(latest).toISOString()}): the longest an admin allows. A lead can pin it instead.`],
      });
    }
    const expiresAt = new Date(Math.min(target, latest));
    await tx.environment.update({ where: { id: env.id }, data: { expiresAt } });
    return { message: `Expiry moved to ${expiresAt.toISOString()}`, clusterUnchanged: true };
  });
}
