import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";
import { formatImage } from "./image-ref";
import { pinImage } from "./pin-image";

/** Puts every component that was changed back on its previous image (and remembers the undone one). */
export async function rollbackEnvironment(actor: Actor, id: string) {
  return changeEnvironment(actor, id, "rollback", async (tx, env) => {
    const changed = env.components.filter((c) => c.previousRepository && (c.previousTag || c.previousDigest));
    if (changed.length === 0) throw new AppError("conflict", "There is no previous version to roll back to.");
    const moves: string[] = [];
    for (const c of changed) {
      const previous = { repository: c.previousRepository!, tag: c.previousTag, digest: c.previousDigest };
      await tx.component.update({ where: { id: c.id }, data: pinImage(c, previous) });
      moves.push(`${c.name}: ${formatImage(c)} → ${formatImage(previous)}`);
    }
    return { message: `Rolled back ${moves.join(", ")}` };
  });
}
