import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";
import { formatImage } from "./image-ref";
import { pinImage } from "./pin-image";

/** Moves every component that came from the template to the template's current version. */
export async function upgradeEnvironment(actor: Actor, id: string) {
  return changeEnvironment(actor, id, "upgrade", async (tx, env) => {
    if (!env.templateId) throw new AppError("conflict", "This environment was not made from a template.");
    const template = await tx.template.findUnique({ where: { id: env.templateId }, include: { components: true } });
    if (!template) throw new AppError("conflict", "The environment's template no longer exists.");
    const moves: string[] = [];
    for (const c of env.components) {
      const t = template.components.find((tc) => tc.name === c.name);
      if (!t || (t.repository === c.repository && t.defaultTag === c.tag && !c.digest)) continue;
      const next = { repository: t.repository, tag: t.defaultTag, digest: null };
      await tx.component.update({ where: { id: c.id }, data: pinImage(c, next) });
      moves.push(`${c.name}: ${formatImage(c)} → ${formatImage(next)}`);
    }
    if (moves.length === 0) return null;
    return { message: `Moved to ${template.name}'s versions: ${moves.join(", ")}` };
  });
}
